"""An operator account and the SLA (issue 16 §10): its own contracts' final reports, read-only;
the penalty lines once they are put to it; its reply in the contradictory procedure. Nothing of
another operator, and nothing the syndicate is still preparing."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from common.roles import ADMIN, EDIT
from core.accounts import set_role
from inventory.accounts import make_operator_account
from sla.models import Penalty, PenaltyStatus, Report
from sla.service import evaluate_month
from sla.workflow import WorkflowError, WorkflowPermissionError, reply, transition
from tests.factories import inventory as f
from tests.factories.sla import NOW, small_month

pytestmark = pytest.mark.django_db
S = PenaltyStatus


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(role: str) -> Any:
    user = get_user_model().objects.create_user(username=f"staff-{role}")
    set_role(user, role)
    return user


def operator_user(operator: Any, name: str) -> Any:
    user = get_user_model().objects.create_user(username=name)
    make_operator_account(user, operator)
    return user


@pytest.fixture
def month() -> Any:
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    return month


@pytest.fixture
def holder(month: Any) -> Any:
    return operator_user(month.contract.operator, "noc-armor")


@pytest.fixture
def rival() -> Any:
    return operator_user(f.OperatorFactory.create(name="Rival", slug="rival"), "noc-rival")


def report_url(month: Any, suffix: str = "") -> str:
    return f"/sla/contracts/{month.contract.pk}/2025-06/{suffix}"


def notified_line(month: Any) -> Penalty:
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    editor = staff(EDIT)
    transition(line, S.PROPOSED, editor)
    return transition(line, S.NOTIFIED, editor)


def test_the_holder_reads_its_final_report_and_downloads_it(month: Any, holder: Any) -> None:
    client = login(holder)
    index = client.get("/sla/").content.decode()
    assert "LOT-T" in index
    assert "2025-06" in index
    assert "Evaluate" not in index
    page = client.get(report_url(month))
    assert page.status_code == 200
    html = page.content.decode()
    assert "99.930" in html
    assert "Method annex" in html
    assert "Evaluate again" not in html
    assert 'name="to"' not in html
    assert 'href="/sla/"' in html  # the menu leads operators to their reports
    xlsx = client.get(report_url(month, "report.xlsx"))
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_another_operator_sees_nothing_of_it(month: Any, rival: Any) -> None:
    client = login(rival)
    assert "LOT-T" not in client.get("/sla/").content.decode()
    for suffix in ("", "report.pdf", "report.xlsx", "report.csv"):
        assert client.get(report_url(month, suffix)).status_code == 404


def test_a_provisional_report_stays_internal(month: Any, holder: Any) -> None:
    Report.objects.filter(contract=month.contract).update(provisional=True)
    client = login(holder)
    assert "2025-06" not in client.get("/sla/").content.decode()
    assert client.get(report_url(month)).status_code == 404
    assert login(staff(EDIT)).get(report_url(month)).status_code == 200


def test_penalty_lines_appear_once_notified(month: Any, holder: Any) -> None:
    client = login(holder)
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    line.comment = "internal: check the operator's ticket history"
    line.save()
    assert 'data-testid="penalty-line"' not in client.get(report_url(month)).content.decode()
    editor = staff(EDIT)
    transition(line, S.PROPOSED, editor)
    assert 'data-testid="penalty-line"' not in client.get(report_url(month)).content.decode()
    transition(line, S.NOTIFIED, editor)
    html = client.get(report_url(month)).content.decode()
    assert html.count('data-testid="penalty-line"') == 1
    assert f'id="penalty-{line.pk}"' in html
    assert "internal: check" not in html  # the staff comment stays internal
    assert 'name="reply"' in html
    assert 'data-testid="file-reply"' in html


def test_the_holder_files_and_amends_its_reply(month: Any, holder: Any) -> None:
    line = notified_line(month)
    client = login(holder)
    url = f"/sla/penalties/{line.pk}/reply/"
    done = client.post(url, {"reply": "Coupure due à des travaux de voirie (ticket 4711)."})
    assert done.status_code == 302
    assert done["Location"].endswith(f"#reply-card-{line.pk}")
    line.refresh_from_db()
    assert line.operator_reply.startswith("Coupure due")
    assert line.replied_by == holder
    assert line.replied_at is not None
    client.post(url, {"reply": "Travaux de voirie, ticket 4711, photos envoyées par courrier."})
    line.refresh_from_db()
    assert "photos" in line.operator_reply
    # staff see the reply and who filed it, and may now decide before the fifteen days end
    admin = staff(ADMIN)
    html = login(admin).get(report_url(month)).content.decode()
    assert "photos envoyées" in html
    assert "noc-armor" in html
    transition(line, S.UPHELD, admin)
    assert line.status == S.UPHELD


def test_replies_are_refused_when_they_must_be(month: Any, holder: Any, rival: Any) -> None:
    line = notified_line(month)
    url = f"/sla/penalties/{line.pk}/reply/"
    assert login(rival).post(url, {"reply": "not mine"}).status_code == 404
    assert login(staff(ADMIN)).post(url, {"reply": "staff"}).status_code == 403
    client = login(holder)
    page = client.post(url, {"reply": "   "}, follow=True).content.decode()
    assert "Reply not filed: the reply is empty." in page
    page = client.post(url, {"reply": "x" * 20_001}, follow=True).content.decode()
    assert "longer than 20,000 characters" in page
    Penalty.objects.filter(pk=line.pk).update(notified_at=datetime.now(UTC) - timedelta(days=16))
    page = client.post(url, {"reply": "too late"}, follow=True).content.decode()
    assert "the contradictoire ended on" in page
    line.refresh_from_db()
    assert line.operator_reply == ""


def test_reply_rules_in_the_workflow(month: Any, holder: Any, rival: Any) -> None:
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    with pytest.raises(WorkflowError, match="filed while it is notified"):
        reply(line, holder, "early")
    line = notified_line(month)
    with pytest.raises(WorkflowPermissionError):
        reply(line, rival, "not mine")
    with pytest.raises(WorkflowPermissionError):
        reply(line, staff(ADMIN), "staff")
    with pytest.raises(WorkflowError, match="contradictoire ended"):
        reply(line, holder, "late", now=line.answer_due)
    assert reply(line, holder, "in time", now=line.answer_due - timedelta(seconds=1))


def test_operators_cannot_act_on_the_workflow(month: Any, holder: Any) -> None:
    line = notified_line(month)
    client = login(holder)
    pk = month.contract.pk
    assert client.post(f"/sla/contracts/{pk}/evaluate/", {"period": "2025-06"}).status_code == 403
    assert client.post(f"/sla/penalties/{line.pk}/", {"to": "upheld"}).status_code == 403
    assert client.post(report_url(month, "penalties/"), {"to": "notified"}).status_code == 403
    line.refresh_from_db()
    assert line.status == S.NOTIFIED


def test_a_long_penalty_table_is_folded_under_its_counts(month: Any) -> None:
    from sla.models import Report

    report = Report.objects.get(contract=month.contract)
    base = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    for n in range(14):  # a busy month: 15 lines
        Penalty.objects.create(
            contract=month.contract,
            year=2025,
            month=6,
            link=month.link_b,
            type="gtr",
            ticket=f"T-{n:02d}",
            report=report,
            computed_ht=base.computed_ht,
            amount_ht=base.amount_ht,
            status=S.PROPOSED if n < 4 else S.COMPUTED,
        )
    html = login(staff(EDIT)).get(report_url(month)).content.decode()
    assert 'data-testid="collapsed-penalties"' in html
    assert "Show the 15 lines" in html
    assert "11 computed · 4 proposed" in html
    base.delete()
    Penalty.objects.filter(ticket__gte="T-04").delete()
    html = login(staff(ADMIN)).get(report_url(month)).content.decode()
    assert 'data-testid="collapsed-penalties"' not in html  # four lines stay open
