"""The operator's side of the SLA in Chromium, on a phone (issue 16 §10): from the menu to its
contract's report, the penalty line put to it, its reply filed and shown; another operator's
report is not there. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from common.roles import EDIT
from core.accounts import set_role
from inventory.accounts import make_operator_account
from sla.models import Penalty, PenaltyStatus
from sla.service import evaluate_month
from sla.workflow import transition
from tests.common.test_browser_phone import OVERFLOW, PHONE
from tests.factories.sla import NOW, small_month
from tests.inventory.test_browser import Watch, browser, log_in, shoot

__all__ = ["browser"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_replies_to_a_penalty_from_its_phone(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    editor = get_user_model().objects.create_user("editor")
    set_role(editor, EDIT)
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    transition(line, PenaltyStatus.PROPOSED, editor)
    transition(line, PenaltyStatus.NOTIFIED, editor)
    noc = get_user_model().objects.create_user("armor-noc", password="menhir-pw")
    make_operator_account(noc, month.contract.operator)

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    watch = Watch(tab)
    log_in(tab, live_server.url, "armor-noc", "menhir-pw", path="/links/")
    tab.get_by_test_id("menu-toggle").tap()
    tab.locator("#main-menu").get_by_role("link", name="Service levels").tap()
    tab.get_by_role("link", name="2025-06").tap()
    tab.wait_for_selector("#penalties")
    lines = tab.get_by_test_id("penalty-line")
    assert lines.count() == 1
    assert "Notified" in lines.first.inner_text()
    assert tab.locator("form[action$='/evaluate/']").count() == 0
    assert tab.evaluate(OVERFLOW) <= 0  # the report fits the phone: wide tables scroll alone
    shoot(tab, "sla-operator-01-report")
    reply_link = tab.get_by_test_id("penalty-line").get_by_role("link", name="Reply")
    assert reply_link.get_attribute("href") == f"#reply-card-{line.pk}"
    box = tab.get_by_test_id("file-reply").bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["x"] + box["width"] <= PHONE["width"]
    tab.fill(f"#reply-{line.pk}", "Roadworks cut the fibre; our ticket 4711, photos by post.")
    tab.get_by_test_id("file-reply").tap()
    tab.wait_for_selector("[data-testid=penalty-reply]")
    assert "ticket 4711" in tab.get_by_test_id("penalty-reply").inner_text()
    assert "Your reply is filed" in tab.locator("main").inner_text()
    assert tab.evaluate(OVERFLOW) <= 0
    shoot(tab, "sla-operator-02-reply-filed")
    line.refresh_from_db()
    assert line.operator_reply.startswith("Roadworks")
    assert line.replied_by == noc
    watch.assert_clean()
    context.close()
