"""On call from a phone (issue 16, point 5): at 390 × 844 the menu folds behind one button, no
page of the navigation scrolls sideways, tap targets are at least 44 px high, and the
acknowledgement link of a page is one tap on a page made for a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alerting.paging import ack_url
from common.roles import ADMIN
from core.accounts import set_role
from inventory.accounts import make_operator_account
from tests.factories.alerting import MaintenanceWindowFactory, TicketFactory, incident
from tests.factories.inventory import small_network
from tests.inventory.test_browser import Watch, browser, log_in, shoot

__all__ = ["browser"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = """() => [...document.querySelectorAll("body *")].filter(e => {
  const r = e.getBoundingClientRect(), p = e.parentElement.getBoundingClientRect();
  return r.right > 392 && r.width > 0 && p.right <= 392;
}).slice(0, 6).map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().width}`)"""
PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - 390"


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def network(settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    net = small_network()
    start = timezone.now() - dt.timedelta(hours=2)
    net["incident"] = incident(
        net["pops"][0], start=start, isolated=net["sites"][:2], operator=net["operator"]
    )
    TicketFactory.create(link=net["links"][0], operator=net["operator"])
    MaintenanceWindowFactory.create(operator=net["operator"])
    return net


def _menu_paths(tab: Any) -> list[str]:
    hrefs = tab.locator("#main-menu a").evaluate_all("links => links.map(a => a.pathname)")
    return [h for h in hrefs if not h.startswith(("/admin/", "/api/"))]


def test_every_page_of_the_menu_fits_a_phone(
    live_server: Any, phone: Any, network: dict[str, Any]
) -> None:
    user = get_user_model().objects.create_user("oncall", password="menhir-pw")
    set_role(user, ADMIN)
    watch = Watch(phone)
    base = live_server.url
    log_in(phone, base, "oncall", "menhir-pw", path="/")

    toggle = phone.get_by_test_id("menu-toggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not phone.locator("#main-menu").is_visible()
    header = phone.locator(".topbar").bounding_box()
    assert header["height"] <= 80  # the folded menu leaves the screen to the page
    shoot(phone, "phone-01-home-menu-folded")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone.locator("#main-menu").is_visible()
    heights = phone.locator("#main-menu a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert min(heights) >= 44
    shoot(phone, "phone-02-menu-open")

    paths = [
        "/",
        *_menu_paths(phone),
        f"/alerting/incidents/{network['incident'].pk}/",
        f"/establishments/{network['sites'][0].pk}/",
        f"/pops/{network['pops'][0].pk}/",
        f"/links/{network['links'][0].pk}/",
    ]
    assert len(paths) >= 14
    wide = {}
    for path in paths:
        phone.goto(base + path)
        phone.wait_for_load_state("networkidle")
        overflow = phone.evaluate(OVERFLOW)
        if overflow > 0:
            wide[path] = (overflow, phone.evaluate(WIDE))  # what sticks out
        shoot(phone, "phone-page" + path.replace("/", "-").rstrip("-"))
    assert wide == {}
    watch.assert_clean()


def test_an_operator_acknowledges_from_the_page_link_in_one_tap(
    live_server: Any, phone: Any, network: dict[str, Any]
) -> None:
    from alerting.models import Notification

    user = get_user_model().objects.create_user("armor-noc", password="menhir-pw")
    make_operator_account(user, network["operator"])
    note = Notification.objects.create(
        incident=network["incident"],
        kind="page",
        channel="email",
        recipient="noc@armor.example",
        ack_nonce="a1" * 16,
    )
    phone.goto(live_server.url + urlsplit(ack_url(note)).path)
    viewport = phone.locator("meta[name=viewport]").get_attribute("content")
    assert "width=device-width" in viewport
    button = phone.get_by_role("button", name="Acknowledge")
    box = button.bounding_box()
    assert box["height"] >= 44
    assert box["y"] + box["height"] <= PHONE["height"]  # visible without scrolling
    assert phone.evaluate(OVERFLOW) <= 0
    shoot(phone, "phone-03-ack")
    button.tap()
    phone.wait_for_selector("#ack-done")
    network["incident"].refresh_from_db()
    assert network["incident"].acknowledged_at is not None
