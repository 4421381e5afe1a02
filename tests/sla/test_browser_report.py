"""The monthly report in Chromium (issue 17): it opens on the summary in words, its contents
lead to each section, long tables are folded with their count and open on a click, and the
page stays a readable height. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from common.roles import READ
from core.accounts import set_role
from sla.models import MonitoringRun
from sla.service import evaluate_month
from tests.factories.alerting import TicketFactory
from tests.factories.sla import NOW, at, small_month
from tests.inventory.test_browser import Watch, browser, log_in, shoot

__all__ = ["browser"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_opens_on_its_summary_and_folds_its_long_tables(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    month = small_month()
    for day in range(2, 22):  # twenty tickets: a table long enough to fold
        MonitoringRun.objects.create(
            link=month.link_b, start=at(day, 8), end=at(day, 9), state="down"
        )
        TicketFactory.create(
            link=month.link_b,
            reference=f"T-{day:02d}",
            opened_at=at(day, 8),
            restored_at=at(day, 9),
        )
    evaluate_month(month.contract, 2025, 6, now=NOW)
    reader = get_user_model().objects.create_user("reader", password="menhir-pw")
    set_role(reader, READ)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    watch = Watch(tab)
    path = f"/sla/contracts/{month.contract.pk}/2025-06/?lang=en"
    log_in(tab, live_server.url, "reader", "menhir-pw", path=path)
    owed = tab.get_by_test_id("standing-owed")
    assert "proposed for 2025-06" in owed.inner_text()
    assert tab.get_by_test_id("standing-next").is_visible()
    # the summary and the contents are on the first screens, before any table
    assert tab.get_by_test_id("toc").bounding_box()["y"] < owed.bounding_box()["y"]
    tickets = tab.get_by_test_id("collapsed-tickets")
    assert "Show the 20 rows" in tickets.inner_text()
    assert not tab.locator("#tickets table").is_visible()
    tab.get_by_test_id("toc").get_by_role("link", name="Incidents: GTI and GTR").click()
    tab.wait_for_url("**#tickets")
    tickets.locator("summary").click()
    assert tab.locator("#tickets table").is_visible()
    assert tab.locator("#tickets tbody tr").count() == 20
    link = tab.locator("#tickets tbody tr").first.get_by_role("link", name="T-02")
    assert link.get_attribute("href").startswith("/alerting/tickets/")
    shoot(tab, "sla-report-01-tickets-open")
    tickets.locator("summary").click()
    height = tab.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height  # every section there, long ones folded
    watch.assert_clean()
    context.close()
