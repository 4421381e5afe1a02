"""The penalty workflow: allowed transitions, roles, the contradictoire, the change log."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from common.roles import ADMIN, EDIT, READ
from core.accounts import set_role
from core.models import ObjectChange
from sla.models import CollectedWindow, Penalty
from sla.models import PenaltyStatus as S
from sla.service import evaluate_month
from sla.workflow import WorkflowError, WorkflowPermissionError, allowed, transition
from tests.factories.sla import NOW, small_month

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def user(role: str) -> Any:
    u = get_user_model().objects.create_user(username=f"u-{role}")
    set_role(u, role)
    return u


@pytest.fixture
def line() -> Penalty:
    evaluate_month(small_month().contract, 2025, 6, now=NOW)
    return Penalty.objects.get()


def test_full_path_to_applied(line: Penalty) -> None:
    editor, admin = user(EDIT), user(ADMIN)
    transition(line, "proposed", editor, now=NOW)
    transition(line, "notified", editor, now=NOW)
    assert line.notified_at == NOW
    transition(line, "upheld", admin, now=NOW + 15 * DAY)
    transition(line, "applied", admin, now=NOW + 16 * DAY)
    line.refresh_from_db()
    assert (line.status, line.amount_ht) == ("applied", Decimal("45.00"))
    with pytest.raises(WorkflowError, match="a line that is applied cannot become"):
        transition(line, "waived", admin)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("computed", "notified"),
        ("computed", "applied"),
        ("proposed", "upheld"),
        ("notified", "applied"),
    ],
)
def test_skipping_a_step_is_refused(line: Penalty, start: str, to: str) -> None:
    Penalty.objects.filter(pk=line.pk).update(status=start)
    line.refresh_from_db()
    refused = f"a line that is {S(start).label.lower()} cannot become {S(to).label.lower()}"
    with pytest.raises(WorkflowError, match=re.escape(refused)):
        transition(line, to, user(ADMIN))
    line.refresh_from_db()
    assert line.status == start


def test_roles(line: Penalty) -> None:
    reader, editor = user(READ), user(EDIT)
    with pytest.raises(WorkflowPermissionError, match="needs the editor role"):
        transition(line, "proposed", reader)
    transition(line, "proposed", editor, now=NOW)
    transition(line, "notified", editor, now=NOW)
    with pytest.raises(WorkflowPermissionError, match="needs the administrator role"):
        transition(line, "upheld", editor, now=NOW + 20 * DAY)
    assert allowed(line, editor) == []
    assert allowed(line, user(ADMIN)) == ["upheld", "changed", "waived"]


def test_decision_waits_for_the_contradictoire_unless_the_operator_replied(line: Penalty) -> None:
    admin = user(ADMIN)
    transition(line, "proposed", admin, now=NOW)
    transition(line, "notified", admin, now=NOW)
    with pytest.raises(WorkflowError, match="until 2025-07-20 02:00"):  # Paris time
        transition(line, "upheld", admin, now=NOW + 15 * DAY - dt.timedelta(seconds=1))
    transition(line, "upheld", admin, now=NOW + 3 * DAY, reply="We accept.")
    assert line.operator_reply == "We accept."


def test_change_needs_an_amount_and_a_reason(line: Penalty) -> None:
    admin = user(ADMIN)
    transition(line, "proposed", admin, now=NOW)
    transition(line, "notified", admin, now=NOW)
    later = NOW + 15 * DAY
    with pytest.raises(WorkflowError, match="needs its new amount"):
        transition(line, "changed", admin, now=later, comment="x")
    for bad in ("-1", "abc", "1.234", "NaN"):
        with pytest.raises(WorkflowError):
            transition(line, "changed", admin, amount=bad, comment="x", now=later)
    with pytest.raises(WorkflowError, match="say why"):
        transition(line, "changed", admin, amount="30", now=later)
    transition(line, "changed", admin, amount="30,50", comment="GTR agreed", now=later)
    line.refresh_from_db()
    assert (line.status, line.amount_ht, line.computed_ht) == (
        "changed",
        Decimal("30.50"),
        Decimal("45.00"),
    )


def test_waived_sets_the_amount_to_zero_with_a_reason(line: Penalty) -> None:
    admin = user(ADMIN)
    transition(line, "proposed", admin, now=NOW)
    transition(line, "notified", admin, now=NOW)
    with pytest.raises(WorkflowError, match="say why"):
        transition(line, "waived", admin, now=NOW + 16 * DAY)
    transition(line, "waived", admin, now=NOW + 16 * DAY, comment="force majeure shown")
    assert line.amount_ht == Decimal("0.00")


def test_every_transition_is_change_logged_with_its_user(line: Penalty) -> None:
    editor = user(EDIT)
    transition(line, "proposed", editor, now=NOW)
    change = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Penalty), changed_object_id=line.pk
    ).latest("pk")
    assert change.user == editor
    assert change.prechange_data is not None
    assert change.postchange_data is not None
    assert change.prechange_data["status"] == "computed"
    assert change.postchange_data["status"] == "proposed"


def test_a_provisional_reports_line_is_never_notified() -> None:
    """docs/sla.md R13: only final reports enter the notification. Without the day after
    collected, June's report is provisional: its line can be proposed, not notified."""
    month = small_month()
    CollectedWindow.objects.all().delete()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    line = Penalty.objects.get()
    assert line.report.provisional
    editor = user(EDIT)
    transition(line, "proposed", editor, now=NOW)
    with pytest.raises(WorkflowError, match="provisional"):
        transition(line, "notified", editor, now=NOW)
    line.refresh_from_db()
    assert (line.status, line.notified_at) == ("proposed", None)
