"""Decisions reserved to administrators cannot be taken by an editor through the Django admin
(issue 13, finding 1: an editor accepted an exclusion claim by posting its change form back).

The attack, as the editor would make it: open the admin's forms, post them back with the
decision changed, use the list's bulk actions. None may change a claim's decision or touch a
penalty line or a report version.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

from common.admin import DecisionAdmin
from common.roles import ADMIN, EDIT
from core.accounts import set_role
from sla.models import ClaimDecision, ExclusionClaim, Penalty, Report
from sla.service import evaluate_month
from tests.factories.sla import NOW, at, small_month

pytestmark = pytest.mark.django_db
URL = "/admin/sla/exclusionclaim/"


def client_for(role: str) -> tuple[Client, Any]:
    user = get_user_model().objects.create_user(username=f"u-{role}")
    set_role(user, role)
    client = Client()
    client.force_login(user)
    return client, user


def _form(claim: ExclusionClaim, **changes: str) -> dict[str, str]:
    data = {
        "link": str(claim.link_id),
        "start_0": claim.start.strftime("%Y-%m-%d"),
        "start_1": claim.start.strftime("%H:%M:%S"),
        "end_0": claim.end.strftime("%Y-%m-%d"),
        "end_1": claim.end.strftime("%H:%M:%S"),
        "type": claim.type,
        "reason": claim.reason,
        "decision": claim.decision,
    }
    return {**data, **changes}


@pytest.fixture
def month() -> Any:
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    return month


def _claim(month: Any, decision: str = ClaimDecision.PENDING) -> ExclusionClaim:
    return ExclusionClaim.objects.create(
        link=month.link_a, start=at(10, 10), end=at(10, 11), type="client", decision=decision
    )


def test_an_editor_posting_decision_accepted_leaves_the_claim_pending(month: Any) -> None:
    claim = _claim(month)
    editor, _ = client_for(EDIT)
    page = editor.get(f"{URL}{claim.pk}/change/")
    assert page.status_code == 200
    assert 'name="decision"' not in page.content.decode()  # shown read-only, not an input
    editor.post(f"{URL}{claim.pk}/change/", _form(claim, decision="accepted", reason="edited"))
    claim.refresh_from_db()
    assert claim.reason == "edited"  # the editor may correct what the operator filed…
    assert claim.decision == ClaimDecision.PENDING  # …never decide it
    assert (claim.decided_by, claim.decided_at) == (None, None)


def test_an_editor_cannot_add_a_claim_already_accepted(month: Any) -> None:
    editor, _ = client_for(EDIT)
    data = _form(_claim(month), decision="accepted")
    ExclusionClaim.objects.all().delete()
    editor.post(f"{URL}add/", data)
    claim = ExclusionClaim.objects.get()
    assert claim.decision == ClaimDecision.PENDING


def test_a_decided_claim_is_out_of_an_editors_reach(month: Any) -> None:
    claim = _claim(month, ClaimDecision.REJECTED)
    editor, _ = client_for(EDIT)
    editor.post(f"{URL}{claim.pk}/change/", _form(claim, decision="accepted"))
    editor.post(f"{URL}{claim.pk}/delete/", {"post": "yes"})
    editor.post(URL, {"action": "delete_selected", "_selected_action": [claim.pk], "post": "yes"})
    claim.refresh_from_db()
    assert claim.decision == ClaimDecision.REJECTED


def test_an_admin_deciding_in_the_admin_is_recorded_with_who_and_when(month: Any) -> None:
    claim = _claim(month)
    root, user = client_for(ADMIN)
    response = root.post(f"{URL}{claim.pk}/change/", _form(claim, decision="accepted"))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.decision == ClaimDecision.ACCEPTED
    assert claim.decided_by == user
    assert claim.decided_at is not None


def test_penalty_lines_and_report_versions_cannot_be_changed_in_the_admin(month: Any) -> None:
    line = Penalty.objects.get()
    report = Report.objects.get()
    editor, _ = client_for(EDIT)
    editor.post(
        f"/admin/sla/penalty/{line.pk}/change/",
        {"status": "waived", "amount_ht": "0.00", "comment": "x"},
    )
    editor.post(
        "/admin/sla/penalty/",
        {"action": "delete_selected", "_selected_action": [line.pk], "post": "yes"},
    )
    editor.post(f"/admin/sla/report/{report.pk}/delete/", {"post": "yes"})
    line.refresh_from_db()
    assert (line.status, line.amount_ht) == ("computed", line.computed_ht)
    assert Report.objects.filter(pk=report.pk).exists()


def test_every_admin_only_field_is_read_only_for_editors_on_every_registered_admin() -> None:
    """The walk: every registered ModelAdmin that declares decisions keeps them out of an
    editor's forms, and at least the claims' decision is declared."""
    from django.test import RequestFactory

    _, editor = client_for(EDIT)
    request = RequestFactory().get("/")
    request.user = editor
    declared = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, DecisionAdmin):
            readonly = set(model_admin.get_readonly_fields(request, None))
            assert set(model_admin.admin_only_fields) <= readonly, model
            declared[model] = model_admin.admin_only_fields
    assert declared[ExclusionClaim] == ("decision",)
