"""Entering a ticket and importing a broken export in a real browser (chromium through
Playwright): the forms, their local times and their error messages; screenshots kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from alerting.models import Ticket
from core.accounts import set_role
from tests.factories.inventory import small_network
from tests.topology.test_browser_map import ARTIFACTS, browser_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, live_server: Any) -> None:
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123")
    set_role(user, "edit")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-clerk-123")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def test_a_clerk_enters_a_ticket_and_a_broken_export_is_refused(
    browser_page: tuple[Any, list[str]],  # noqa: F811
    live_server: Any,
    tmp_path: Path,
) -> None:
    page, errors = browser_page
    net = small_network()
    login(page, live_server)
    page.goto(f"{live_server.url}/alerting/tickets/")
    page.click("text=New ticket")
    page.select_option("select[name=operator]", label="Armor Télécom")
    page.fill("input[name=reference]", "TT-2026-001")
    page.fill("input[name=circuit]", net["links"][0].circuit_id)
    page.fill("input[name=opened_at]", "2026-03-04T11:20")
    page.fill("input[name=restored_at]", "2026-03-04T09:00")  # before the opening: refused
    page.click("#object-form button[type=submit]")
    page.wait_for_selector("p.errors[data-field=restored_at]")
    assert "cannot be before the opening" in page.inner_text("p.errors[data-field=restored_at]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alerting-ticket-form-error.png"), full_page=True)
    page.fill("input[name=restored_at]", "2026-03-04T14:40")
    page.click("#object-form button[type=submit]")
    page.wait_for_selector("#ticket-facts")
    assert "LYC-29-001" in page.inner_text("#ticket-facts")
    ticket = Ticket.objects.get()
    assert ticket.opened_at.isoformat() == "2026-03-04T10:20:00+00:00"
    page.fill("#suspension-form input[name=start]", "2026-03-04T12:00")
    page.fill("#suspension-form input[name=end]", "2026-03-04T12:30")
    page.select_option("#suspension-form select[name=decision]", "accepted")
    page.click("#suspension-form button[type=submit]")
    page.wait_for_selector("#suspensions td:has-text('Accepted')")
    page.screenshot(path=str(ARTIFACTS / "alerting-ticket.png"), full_page=True)
    export = tmp_path / "export.csv"
    export.write_text("reference;opened_at\nTT-9;04/03/2026 11:20\n", encoding="utf-8")
    page.goto(f"{live_server.url}/alerting/import/")
    page.select_option("select[name=operator]", label="Armor Télécom")
    page.set_input_files("input[name=file]", str(export))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-errors li")
    assert page.locator("#import-errors li").all_inner_texts() == [
        "line 2, column opened_at: '04/03/2026 11:20' has no offset: add one (+01:00) or name "
        "the export's time zone"
    ]
    page.screenshot(path=str(ARTIFACTS / "alerting-import-refused.png"), full_page=True)
    page.fill("input[name=timezone]", "Europe/Paris")
    page.set_input_files("input[name=file]", str(export))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("[data-testid=object-list]")
    assert "tickets: 1 created" in page.inner_text(".messages")
    assert Ticket.objects.get(reference="TT-9").opened_at.isoformat() == "2026-03-04T10:20:00+00:00"
    assert errors == []
