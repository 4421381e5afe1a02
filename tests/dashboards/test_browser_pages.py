"""The composed pages in chromium: the home page and the live map coloured by an injected
incident (read back from the markers' colours), and the link, PoP and operator charts drawing the
expected number of points at the resolution each range calls for. Screenshots in
test-artifacts/browser/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from inventory.models import Device, Establishment
from tests.dashboards.conftest import polled
from tests.dashboards.test_browser_chart import MINUTES, write_traffic
from tests.factories.alerting import incident
from tests.factories.inventory import small_network
from tests.inventory.test_browser import Watch, browser, log_in, page, reader, shoot

__all__ = ["browser", "page", "reader"]  # fixtures shared with the inventory browser tests
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOWN, UP = "rgb(198, 40, 40)", "rgb(46, 125, 50)"  # topology.css: status-down, status-up
# The colour of what shows the site on the map: its own dot, or its cluster (the worst's).
PIXEL_JS = """(id) => {
  const el = window.menhirMap.siteElement(id);
  return el ? getComputedStyle(el).backgroundColor : null;
}"""
# Three sites far apart (Brest, Vannes, Rennes), so that each is its own dot on the map.
PLACES = [(48.39, -4.49), (47.66, -2.76), (48.11, -1.68)]


def spread_network() -> dict[str, Any]:
    net = small_network()
    for site, (lat, lon) in zip(net["sites"], PLACES, strict=True):
        Establishment.objects.filter(pk=site.pk).update(latitude=lat, longitude=lon)
    polled(Device.objects.all())
    return net


def test_live_map_turns_a_site_red_when_an_incident_cuts_it_off(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str], settings: Any
) -> None:
    settings.MENHIR_STATUS_REFRESH_SECONDS = 1
    net = spread_network()
    chu = net["sites"][2]
    tab, watch = page
    log_in(tab, live_server.url, *reader, path="/topology/map/")
    tab.wait_for_selector("#map[data-ready='1'][data-status-loads]")
    assert tab.evaluate(PIXEL_JS, chu.pk) == UP
    assert tab.locator(".map-legend [data-status-count='up']").inner_text() == "3"
    incident(net["routers"][1], start=timezone.now(), isolated=(chu,))  # Rennes' router
    tab.wait_for_function(f"() => window.menhirMap.status['{chu.pk}'] === 'down'")
    assert tab.evaluate(PIXEL_JS, chu.pk) == DOWN
    assert tab.evaluate(PIXEL_JS, net["sites"][0].pk) == UP
    assert tab.locator(".map-legend [data-status-count='down']").inner_text() == "1"
    rennes = net["pops"][1].pk
    assert tab.evaluate(f"() => window.menhirMap.popStatus['{rennes}']") == "degraded"
    shoot(tab, "dashboards-live-map-incident")
    watch.assert_clean()


def test_home_page_counters_tables_and_map(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str], tmp_path: Path
) -> None:
    net = spread_network()
    lycee, _, chu = net["sites"]
    write_traffic(tmp_path, net["links"][0])  # 40 Mbit/s down on 100 committed
    incident(
        net["links"][0],
        start=timezone.now() - timedelta(minutes=30),
        isolated=(lycee,),
        operator=net["operator"],
    )
    tab, watch = page
    log_in(tab, live_server.url, *reader, path="/")
    tab.wait_for_selector("#map[data-ready='1'][data-status-loads]")
    tiles = tab.locator(".status-tiles")
    assert tiles.locator("[data-status-count='down']").inner_text() == "1"
    assert tiles.locator("[data-status-count='up']").inner_text() == "2"
    assert "Armor Télécom" in tab.locator("#open-by-operator").inner_text()
    top = tab.locator("#top-links-table tbody tr")
    assert top.count() == 1
    assert "40.0 %" in top.inner_text()
    assert "Armor Télécom" in tab.locator("#availability-table").inner_text()
    assert tab.evaluate(PIXEL_JS, lycee.pk) == DOWN
    assert tab.evaluate(PIXEL_JS, chu.pk) == UP
    drawn = tab.evaluate("() => window.menhirMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 3
    shoot(tab, "dashboards-home")
    watch.assert_clean()


def _wait(tab: Any, resolution: str) -> int:
    tab.wait_for_selector(f"#traffic[data-resolution='{resolution}'][data-ready='1']")
    return int(tab.locator("#traffic").get_attribute("data-points") or 0)


@pytest.mark.parametrize("kind", ["link", "pop", "operator"])
def test_chart_pages_draw_the_points_and_the_range_picker_changes_resolution(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str], tmp_path: Path, kind: str
) -> None:
    net = small_network()
    lycee_link, mairie_link, _, chu_backup = net["links"]
    summed = {
        "link": [lycee_link],
        "pop": [lycee_link, mairie_link, chu_backup],
        "operator": net["links"],
    }[kind]
    write_traffic(tmp_path, *summed)
    incident(
        lycee_link,
        start=timezone.now() - timedelta(minutes=40),
        isolated=(net["sites"][0],),
        operator=net["operator"],
    )
    url = {
        "link": f"/links/{lycee_link.pk}/",
        "pop": f"/pops/{net['pops'][0].pk}/",
        "operator": f"/operators/{net['operator'].pk}/",
    }[kind]
    tab, watch = page
    log_in(tab, live_server.url, *reader, path=url)
    five_minute = _wait(tab, "5m")  # 24 h: five-minute rollups
    assert 2 * 18 <= five_minute <= 2 * 20  # 90 minutes in 5-minute buckets, two series
    chart = tab.locator("#traffic")
    assert chart.get_attribute("data-incidents") == "1"
    chart.scroll_into_view_if_needed()
    plot = tab.locator("#traffic .u-over")  # uPlot's plotting area
    box = plot.bounding_box()  # drag over the last fifth of the day: a finer resolution
    left, right = box["x"], box["x"] + box["width"]
    y = box["y"] + box["height"] / 2
    tab.mouse.move(left + 0.8 * (right - left), y)
    tab.mouse.down()
    tab.mouse.move(right - 1, y, steps=5)
    tab.mouse.up()
    assert 2 * (MINUTES - 5) <= _wait(tab, "raw") <= 2 * MINUTES
    plot.dblclick()  # back to the 24 h range
    assert _wait(tab, "5m") == five_minute
    tab.locator(".traffic-card").get_by_role("button", name="6 h").click()
    assert _wait(tab, "raw") == 2 * MINUTES  # the links' samples summed per minute
    links = tab.locator(".traffic-resolution").inner_text()
    assert (f"{len(summed)} links" in links) == (len(summed) > 1)
    shoot(tab, f"dashboards-{kind}-chart")
    tab.locator(".traffic-card").get_by_role("button", name="30 d").click()
    assert 2 * 1 <= _wait(tab, "1h") <= 2 * 3
    tab.locator(".traffic-card").get_by_role("button", name="1 y").click()
    assert 2 * 1 <= _wait(tab, "1d") <= 2 * 2
    watch.assert_clean()


def test_home_page_on_the_reference_network_with_a_pop_down(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str]
) -> None:
    from inventory.models import Link, Pop
    from simulation.seed import seed_reference_network

    seed_reference_network(seed=1)
    polled(Device.objects.all())
    pop = Pop.objects.get(name="Lannion")
    behind = set(
        Link.objects.filter(z_interface__device__pop=pop, establishment__isnull=False).values_list(
            "establishment_id", flat=True
        )
    )
    cut = list(Establishment.objects.filter(pk__in=behind))
    assert 10 < len(cut) < 2026
    incident(pop, start=timezone.now() - timedelta(minutes=10), isolated=tuple(cut))
    tab, watch = page
    log_in(tab, live_server.url, *reader, path="/")
    tab.wait_for_selector("#map[data-ready='1'][data-status-loads]")
    tiles = tab.locator(".status-tiles")
    assert tiles.locator("[data-status-count='down']").inner_text() == str(len(cut))
    assert tiles.locator("[data-status-count='up']").inner_text() == str(2026 - len(cut))
    status = tab.evaluate("() => window.menhirMap.status")
    assert sorted(int(k) for k, v in status.items() if v == "down") == sorted(s.pk for s in cut)
    assert tab.evaluate(f"() => window.menhirMap.popStatus['{pop.pk}']") == "down"
    drawn = tab.evaluate("() => window.menhirMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 2026
    shoot(tab, "dashboards-home-reference-network")
    watch.assert_clean()
