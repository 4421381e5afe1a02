"""The geographic map in a real browser (Debian chromium through Playwright): Leaflet and its
marker clustering, served by Menhir itself. Every site is drawn (as a dot or inside a cluster)
in its live status colour, a cluster in its worst member's; the backbone is drawn; a click (or
Enter) on a PoP draws its tree and lists its sites, which keep their status colours; a phone
gets no horizontal scrolling and a first tap shows a site's tooltip. Screenshots are kept in
test-artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.accounts import set_role
from inventory import choices as c
from inventory.models import Device
from tests.dashboards.conftest import polled
from tests.factories.alerting import incident
from tests.factories.inventory import InterfaceFactory, LinkFactory, small_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
UP, DOWN = "rgb(46, 125, 50)", "rgb(198, 40, 40)"  # topology.css: status-up, status-down
# The colour of what shows a site right now: its own dot or the cluster it is in.
COLOUR_JS = """(id) => {
  const el = window.menhirMap.siteElement(id);
  return el ? getComputedStyle(el).backgroundColor : null;
}"""


def _launch(pw: Any, **context: Any) -> tuple[Any, Any]:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    pg = browser.new_context(locale="en-GB", **context).new_page()
    pg.set_default_timeout(15_000)
    return browser, pg


def _watch(pg: Any, live_server: Any) -> list[str]:
    """Console errors, page errors and requests to anywhere but the live server."""
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((live_server.url, "data:"))
            else errors.append("foreign request: " + r.url)
        ),
    )
    return errors


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[tuple[Any, list[str]]]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares this thread
    with sync_playwright() as pw:
        browser, pg = _launch(pw, viewport={"width": 1280, "height": 900})
        yield pg, _watch(pg, live_server)
        browser.close()


@pytest.fixture
def phone_page(live_server: Any) -> Iterator[tuple[Any, list[str]]]:
    """A 390×844 touch screen."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser, pg = _launch(
            pw,
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        yield pg, _watch(pg, live_server)
        browser.close()


def login(page: Any, live_server: Any) -> None:
    user = get_user_model().objects.create_user("mapper", password="pw-mapper-123")
    set_role(user, "read")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "mapper")
    page.fill("input[name=password]", "pw-mapper-123")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def mapped_network() -> dict[str, Any]:
    """The small network placed for real, the two Quimper sites close enough to be clustered
    when zoomed out, a backbone link Quimper–Rennes, every device polled a minute ago."""
    net = small_network()
    places = [(47.996, -4.110), (47.990, -4.090), (48.111, -1.640)]  # Quimper ×2, Rennes
    for site, (lat, lon) in zip(net["sites"], places, strict=True):
        site.latitude, site.longitude = lat, lon
        site.save()
    for pop, (lat, lon) in zip(net["pops"], [(47.996, -4.102), (48.111, -1.680)], strict=True):
        pop.commune.latitude, pop.commune.longitude = lat, lon
        pop.commune.save()
    router_q, router_r = net["routers"]
    LinkFactory.create(
        operator=net["operator"],
        establishment=None,
        role=c.LinkRole.BACKBONE,
        a_interface=InterfaceFactory.create(device=router_q, role=c.InterfaceRole.BACKBONE),
        z_interface=InterfaceFactory.create(device=router_r, role=c.InterfaceRole.BACKBONE),
    )
    polled(Device.objects.all())
    return net


def test_map_colours_sites_and_clusters_by_live_status_and_selects_a_pop_subtree(
    browser_page: tuple[Any, list[str]], live_server: Any, settings: Any
) -> None:
    settings.MENHIR_STATUS_REFRESH_SECONDS = 1
    page, errors = browser_page
    net = mapped_network()
    lycee, mairie, chu = (s.pk for s in net["sites"])
    quimper, rennes = (p.pk for p in net["pops"])
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/map/")
    page.wait_for_selector("#map[data-ready='1'][data-status-loads]")
    # Zoomed out: the two Quimper sites are one cluster, the CHU a dot of its own.
    assert page.evaluate("() => window.menhirMap.drawn") == {
        "sites": 1,
        "clusters": 1,
        "clusteredSites": 2,
        "pops": 2,
    }
    assert page.locator("#map .menhir-cluster [aria-hidden='true']").inner_text() == "2"
    assert page.evaluate(COLOUR_JS, chu) == UP
    assert page.evaluate(COLOUR_JS, lycee) == UP
    assert page.locator("#map path.menhir-backbone.core").count() == 1
    assert page.locator("#map path.menhir-department").count() == 4  # the IGN outlines
    assert page.locator("#map img.leaflet-tile").count() == 0  # no tile server by default
    assert page.locator(".map-legend [data-status-count='up']").inner_text() == "3"
    # An incident cuts the lycée off: its cluster turns red, the CHU stays green.
    incident(net["routers"][0], start=timezone.now(), isolated=(net["sites"][0],))
    page.wait_for_function(f"() => window.menhirMap.status['{lycee}'] === 'down'")
    page.wait_for_selector("#map .menhir-cluster.status-down")
    assert page.evaluate(COLOUR_JS, lycee) == DOWN
    assert page.evaluate(COLOUR_JS, mairie) == DOWN  # the same cluster: its worst member
    assert page.evaluate(COLOUR_JS, chu) == UP
    assert page.locator(".map-legend [data-status-count='down']").inner_text() == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-map.png"))
    # A click on the Quimper PoP: its tree is drawn, its sites listed, colours unchanged.
    x, y = page.evaluate("() => window.menhirMap.popPosition('Quimper')")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#pop-sites li")
    names = sorted(" ".join(n.split()) for n in page.locator("#pop-sites li").all_inner_texts())
    assert names == [
        "CHU de Rennes [CHU-35-001] (up)", "Lycée de Cornouaille [LYC-29-001] (down)",
        "Mairie de Quimper [MAI-29-002] (up)",
    ]  # fmt: skip
    swatch = page.locator(f"#pop-sites .swatch[data-site='{lycee}']")
    assert swatch.evaluate("(el) => getComputedStyle(el).backgroundColor") == DOWN
    assert page.locator(f"#map .menhir-pop.pop-{quimper}.selected").count() == 1
    assert page.locator("#map path.menhir-tree-sites").count() == 1
    assert page.evaluate(COLOUR_JS, lycee) == DOWN
    assert page.evaluate(COLOUR_JS, chu) == UP  # the CHU's backup link: in the tree, still green
    assert page.locator("#map .menhir-cluster.in-tree").count() == 1
    page.screenshot(path=str(ARTIFACTS / "topology-map-quimper.png"))
    # Keyboard: Tab reaches the Rennes PoP, Enter selects it instead.
    page.focus(f"#map .menhir-pop.pop-{rennes}")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#map[data-selected-pop='{rennes}']")
    assert page.locator("#pop-sites li").all_inner_texts()[0].strip().startswith("CHU de Rennes")
    assert page.locator(f"#map .menhir-site.site-{chu}.in-tree").count() == 1
    # Tab to the cluster: its tooltip counts its sites by status; Enter zooms into it, where
    # the lycée is a red dot of its own, with its tooltip on focus.
    page.focus("#map .menhir-cluster")
    summary = page.locator(".leaflet-tooltip", has_text="2 establishments")
    summary.wait_for()
    assert "down: 1" in summary.inner_text()
    assert "up: 1" in summary.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.menhirMap.drawn.clusters === 0")
    assert page.evaluate(COLOUR_JS, lycee) == DOWN
    assert page.evaluate(COLOUR_JS, mairie) == UP
    page.focus(f"#map .menhir-site.site-{lycee}")
    tooltip = page.locator(".leaflet-tooltip", has_text="Lycée de Cornouaille")
    tooltip.wait_for()
    assert "down" in tooltip.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/establishments/{lycee}/")
    assert errors == []


def test_map_on_a_phone_fits_the_screen_and_a_tap_shows_a_tooltip(
    phone_page: tuple[Any, list[str]], live_server: Any
) -> None:
    page, errors = phone_page
    net = mapped_network()
    chu = net["sites"][2].pk
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/map/")
    page.wait_for_selector("#map[data-ready='1'][data-status-loads]")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390, widths
    box = page.locator("#map").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    drawn = page.evaluate("() => window.menhirMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 3
    assert page.locator("#map .leaflet-control-zoom").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-map-phone.png"), full_page=True)
    # Zoomed in on Rennes (as a pinch would), the CHU is apart from its PoP's square.
    page.evaluate("() => window.menhirMap.map.setView([48.111, -1.66], 13, {animate: false})")
    site = page.locator(f"#map .menhir-site.site-{chu}")
    site.tap()  # first tap: the tooltip, no navigation
    page.locator(".leaflet-tooltip", has_text="CHU de Rennes").wait_for()
    assert page.url == f"{live_server.url}/topology/map/"
    page.screenshot(path=str(ARTIFACTS / "topology-map-phone-tooltip.png"))
    site.tap()  # second tap: the site's page
    page.wait_for_url(f"{live_server.url}/establishments/{chu}/")
    # The home page's live map fits the phone too.
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#map[data-ready='1'][data-status-loads]")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390, widths
    box = page.locator("#map").bounding_box()
    assert box["x"] + box["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / "dashboards-home-phone.png"), full_page=True)
    assert errors == []


def test_map_renders_the_whole_reference_network(
    browser_page: tuple[Any, list[str]], live_server: Any
) -> None:
    from inventory.models import Pop
    from simulation.seed import seed_reference_network

    page, errors = browser_page
    seed_reference_network(seed=1)
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/map/")
    page.wait_for_selector("#map[data-ready='1']")
    drawn = page.evaluate("() => window.menhirMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 2026  # every establishment, alone or grouped
    assert drawn["clusters"] > 0  # zoomed out: grouped
    assert drawn["pops"] == 25
    assert page.locator("#map path.menhir-backbone.core").count() >= 5  # the backbone loop
    # A backbone PoP with secondary PoPs beneath it: its tree is drawn down to them.
    parent = Pop.objects.filter(children__isnull=False).distinct().order_by("name").first()
    assert parent is not None
    page.focus(f"#map .menhir-pop.pop-{parent.pk}")
    page.keyboard.press("Enter")
    page.wait_for_selector("#pop-sites li")
    assert page.locator("#map path.menhir-tree-pops").count() == 1
    assert page.locator("#pop-sites li").count() > 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-map-reference-network.png"))
    assert errors == []


# A 1×1 PNG: the tile server a test can name without leaving the machine.
PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_map_draws_the_optional_tiles_with_their_credit(
    browser_page: tuple[Any, list[str]], live_server: Any, settings: Any
) -> None:
    settings.MENHIR_MAP_TILE_URL = PNG
    settings.MENHIR_MAP_TILE_ATTRIBUTION = "© Tuiles d'essai <script>"
    page, errors = browser_page
    mapped_network()
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_selector("#map img.leaflet-tile")
    credit = page.locator("#map .leaflet-control-attribution")
    assert credit.inner_text() == "© Tuiles d'essai <script>"  # text, never markup
    assert page.evaluate("() => window.menhirMap.drawn.pops") == 2
    assert errors == []
