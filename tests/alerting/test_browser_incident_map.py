"""The incident page in a real browser (Debian chromium through Playwright): the impacted sites
on the map in their state's colour, nothing else drawn, nothing fetched from outside, and the
acknowledge button; screenshots are kept in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from alerting.models import Incident
from core.accounts import set_role
from tests.alerting.test_engine import Cycles, quimper_down
from tests.factories.inventory import small_network
from tests.topology.test_browser_map import ARTIFACTS, browser_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RED, AMBER = (198, 40, 40), (249, 168, 37)  # map.js: down, degraded


def place(net: dict[str, Any]) -> None:
    """Real places, so the sites do not sit on top of each other and of their PoP."""
    quimper, rennes = net["pops"][0].commune, net["pops"][1].commune
    quimper.latitude, quimper.longitude = 47.996, -4.102
    quimper.save()
    rennes.latitude, rennes.longitude = 48.111, -1.680
    rennes.save()
    spots = [(48.093, -4.329), (47.874, -3.920), (48.060, -1.560)]  # Douarnenez, Concarneau, Cesson
    for site, (lat, lon) in zip(net["sites"], spots, strict=True):
        site.latitude, site.longitude = lat, lon
        site.save()


def login_editor(page: Any, live_server: Any) -> None:
    user = get_user_model().objects.create_user("oncall", password="pw-oncall-123")
    set_role(user, "edit")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "oncall")
    page.fill("input[name=password]", "pw-oncall-123")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def pixel(page: Any, site_id: int) -> tuple[int, int, int]:
    """The colour the map drew where the site is."""
    return tuple(page.evaluate("""(id) => {
        const map = window.menhirIncidentMap;
        const site = map.data.sites.find((s) => s.id === id);
        const [x, y] = map.project(site.lon, site.lat);
        const ratio = window.devicePixelRatio || 1;
        const d = map.ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
        return [d[0], d[1], d[2]];
    }""", site_id)[:3])  # fmt: skip


def test_incident_page_maps_impacted_sites_and_acknowledges(
    browser_page: tuple[Any, list[str]],  # noqa: F811
    live_server: Any,
) -> None:
    page, errors = browser_page
    net = small_network()
    place(net)
    Cycles().run(quimper_down(net), n=3)  # the Quimper PoP down: two cut off, the CHU degraded
    incident = Incident.objects.get()
    login_editor(page, live_server)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/alerting/incidents/{incident.pk}/")
    page.wait_for_selector("canvas#incident-map[data-ready='1']")
    shown = page.evaluate("() => window.menhirIncidentMap.data.sites.map((s) => s.code).sort()")
    assert shown == ["CHU-35-001", "LYC-29-001", "MAI-29-002"]
    drawn = page.evaluate("() => window.menhirIncidentMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 3
    lyc, mai, chu = (s.pk for s in net["sites"])
    assert pixel(page, lyc) == RED
    assert pixel(page, mai) == RED
    assert pixel(page, chu) == AMBER
    assert page.inner_text("#incident-map-note") == ""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alerting-incident-map.png"), full_page=True)
    page.click("#ack-button")
    page.wait_for_selector("#ack-state:has-text('by oncall')")
    incident.refresh_from_db()
    assert incident.acknowledged_by == "oncall"
    assert errors == []
    assert all(u.startswith(live_server.url) or u.startswith("data:") for u in requested)
