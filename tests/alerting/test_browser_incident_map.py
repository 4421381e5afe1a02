"""The incident page in a real browser (Debian chromium through Playwright): the impacted sites
on the map in their state's colour, nothing else drawn, nothing fetched from outside, and the
acknowledge button; screenshots are kept in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alerting.models import Incident
from core.accounts import set_role
from inventory.accounts import make_operator_account
from tests.alerting.test_engine import Cycles, quimper_down
from tests.factories.alerting import incident
from tests.factories.inventory import small_network
from tests.topology.test_browser_map import ARTIFACTS, browser_page, phone_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RED, AMBER = "rgb(198, 40, 40)", "rgb(249, 168, 37)"  # topology.css: down, degraded


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


def pixel(page: Any, site_id: int) -> str | None:
    """The colour the map shows the site in (its own dot, or its cluster's)."""
    return page.evaluate("""(id) => {
        const el = window.menhirIncidentMap.siteElement(id);
        return el ? getComputedStyle(el).backgroundColor : null;
    }""", site_id)  # fmt: skip


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
    page.wait_for_selector("#incident-map[data-ready='1']")
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


def test_operator_account_sees_its_own_sites_on_the_incident_map(
    browser_page: tuple[Any, list[str]],  # noqa: F811
    live_server: Any,
) -> None:
    """An operator's account: the map data is its own sites, not a 403 (nor anyone else's)."""
    page, errors = browser_page
    net = small_network()
    place(net)
    lycee = net["sites"][0]
    own = incident(
        net["links"][0], start=timezone.now(), isolated=(lycee,), operator=net["operator"]
    )
    user = get_user_model().objects.create_user("noc-armor", password="pw-noc-armor-123")
    make_operator_account(user, net["operator"])
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "noc-armor")
    page.fill("input[name=password]", "pw-noc-armor-123")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/alerting/incidents/{own.pk}/")
    page.wait_for_selector("#incident-map[data-ready='1']")
    assert page.evaluate("() => window.menhirIncidentMap.data.pops") == []
    shown = page.evaluate("() => window.menhirIncidentMap.data.sites.map((s) => s.code)")
    assert shown == [lycee.code]
    assert pixel(page, lycee.pk) == RED
    assert page.inner_text("#incident-map-note") == ""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alerting-incident-map-operator.png"), full_page=True)
    assert errors == []


def test_incident_map_on_a_phone(
    phone_page: tuple[Any, list[str]],  # noqa: F811
    live_server: Any,
) -> None:
    page, errors = phone_page
    net = small_network()
    place(net)
    Cycles().run(quimper_down(net), n=3)
    incident_ = Incident.objects.get()
    login_editor(page, live_server)
    page.goto(f"{live_server.url}/alerting/incidents/{incident_.pk}/")
    page.wait_for_selector("#incident-map[data-ready='1']")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390, widths
    box = page.locator("#incident-map").bounding_box()
    assert box["x"] + box["width"] <= 390
    drawn = page.evaluate("() => window.menhirIncidentMap.drawn")
    assert drawn["sites"] + drawn["clusteredSites"] == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alerting-incident-map-phone.png"), full_page=True)
    assert errors == []
