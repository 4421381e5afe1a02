"""The geographic map in a real browser (Debian chromium through Playwright): every site is drawn
(as a dot or inside a cluster), a click on a PoP lists its subtree; screenshots are kept."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from core.accounts import set_role
from tests.factories.inventory import small_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[tuple[Any, list[str]]]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares this thread
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg, errors
        browser.close()


def login(page: Any, live_server: Any) -> None:
    user = get_user_model().objects.create_user("mapper", password="pw-mapper-123")
    set_role(user, "read")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "mapper")
    page.fill("input[name=password]", "pw-mapper-123")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def test_map_draws_every_site_and_selects_a_pop_subtree(
    browser_page: tuple[Any, list[str]], live_server: Any
) -> None:
    page, errors = browser_page
    small_network()
    login(page, live_server)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/topology/map/")
    page.wait_for_selector("canvas#map[data-ready='1']")
    drawn = page.evaluate("() => window.menhirMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-map.png"))
    x, y = page.evaluate("() => window.menhirMap.popPosition('Quimper')")
    box = page.locator("canvas#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#pop-sites li")
    names = page.locator("#pop-sites li").all_inner_texts()
    assert sorted(names) == [
        "CHU de Rennes [CHU-35-001]", "Lycée de Cornouaille [LYC-29-001]",
        "Mairie de Quimper [MAI-29-002]",
    ]  # fmt: skip
    page.screenshot(path=str(ARTIFACTS / "topology-map-quimper.png"))
    assert errors == []
    assert all(u.startswith(live_server.url) or u.startswith("data:") for u in requested)


def test_map_renders_the_whole_reference_network(
    browser_page: tuple[Any, list[str]], live_server: Any
) -> None:
    from inventory.seed import seed_reference_network

    page, errors = browser_page
    seed_reference_network(seed=1)
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/map/")
    page.wait_for_selector("canvas#map[data-ready='1']")
    drawn = page.evaluate("() => window.menhirMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 2026  # every establishment, alone or grouped
    assert drawn["clusters"] > 0  # zoomed out: grouped
    assert drawn["pops"] == 25
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-map-reference-network.png"))
    assert errors == []
