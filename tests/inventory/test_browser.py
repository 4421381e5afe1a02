"""The web UI in a real browser: Debian's chromium driven by Playwright against a live server.

Playwright's sync API keeps an asyncio loop running on the test's thread, which makes Django's
ORM refuse to run there ("async unsafe"). The `browser` fixture sets DJANGO_ALLOW_ASYNC_UNSAFE
for these tests only, and restores it afterwards: the ORM calls it unblocks are the test's own
set-up, run sequentially on one thread, never concurrently with the loop.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from common.roles import READ
from core.accounts import set_role
from tests.factories.inventory import small_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Watch:
    """What the page did that it should not: console errors, page errors, foreign requests."""

    def __init__(self, page: Any) -> None:
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOCAL_HOSTS:
            self.foreign_requests.append(request.url)

    def assert_clean(self) -> None:
        assert self.console_errors == []
        assert self.foreign_requests == []


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    # The pages in English (day-first dates in scripts, as in France), the language these
    # tests read; tests/i18n reads them in French.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    watch = Watch(tab)
    yield tab, watch
    context.close()


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, base: str, username: str, password: str, path: str) -> None:
    page.goto(base + path)
    assert "/login/" in page.url  # every page needs a login
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + path)


@pytest.fixture
def reader(settings: Any) -> tuple[str, str]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user(username="claire", password="menhir-pw")
    set_role(user, READ)
    return "claire", "menhir-pw"


def test_log_in_filter_establishments_and_open_a_site(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str]
) -> None:
    small_network()
    tab, watch = page
    base = live_server.url
    log_in(tab, base, *reader, path="/establishments/")
    shoot(tab, "01-establishments")
    rows = tab.locator("table.objects tbody tr")
    assert rows.count() == 3
    # The stylesheet is served locally (whitenoise) and applied.
    topbar = tab.locator(".topbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert topbar == "rgb(8, 63, 83)"

    # Sorting by name, descending on the second click, keeps the rows.
    tab.get_by_role("link", name="Name").click()
    tab.get_by_role("link", name=re.compile(r"^Name ▲")).click()
    tab.wait_for_url(re.compile(r".*sort=-name.*"))
    assert [r.split("\t")[1] for r in rows.all_inner_texts()] == [
        "Mairie de Quimper",
        "Lycée de Cornouaille",
        "CHU de Rennes",
    ]

    tab.get_by_label("Department").select_option("35")
    tab.get_by_role("button", name="Filter").click()
    tab.wait_for_url(re.compile(r".*commune__department=35.*"))
    assert rows.count() == 1
    assert "CHU de Rennes" in rows.first.inner_text()
    assert tab.get_by_role("status").first.inner_text().startswith("1 result")
    shoot(tab, "02-establishments-filtered")

    tab.get_by_role("link", name="CHU-35-001").click()
    tab.wait_for_url(re.compile(r".*/establishments/\d+/$"))
    assert tab.get_by_role("heading", level=1).inner_text() == "CHU de Rennes"
    links_table = tab.locator("section[aria-labelledby=links-title] table")
    assert "100 Mbit/s" in links_table.inner_text()
    assert "Backup" in links_table.inner_text()
    assert "Ille-et-Vilaine (35)" in tab.locator("dl.properties").first.inner_text()
    shoot(tab, "03-establishment")
    watch.assert_clean()


def test_home_menu_and_logout(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str]
) -> None:
    small_network()
    tab, watch = page
    base = live_server.url
    log_in(tab, base, *reader, path="/")
    assert tab.locator(".tile").first.inner_text().startswith("3")
    assert "Finistère (29)" in tab.locator("#by-department + table").inner_text()
    menu = tab.get_by_role("navigation", name="Main")
    assert menu.get_by_role("link", name="Admin").count() == 0  # a reader is no admin
    shoot(tab, "04-home")
    menu.get_by_role("link", name="Contracts").click()
    tab.get_by_role("link", name="LOT-1").click()
    assert "99.9" in tab.locator(".service-class").inner_text()
    shoot(tab, "05-contract")
    tab.get_by_role("button", name="Log out").click()
    tab.wait_for_url(re.compile(r".*/login/$"))
    tab.goto(base + "/links/")
    assert "/login/" in tab.url
    watch.assert_clean()
