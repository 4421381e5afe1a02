"""Operator accounts' part of the SLA: their own contracts' final reports and the penalty lines
put to them, nothing the syndicate is still preparing.

- Reports: those of contracts the operator holds, and only final ones (a provisional report is
  the syndicate's working copy until the monitoring reaches past the month's end, R13).
- Penalty lines: from `notified` on, the moment the contradictory procedure opens; computed and
  proposed lines are internal drafts. The staff comment on a line stays internal too.
- Exclusion claims: those on the operator's own links (it usually filed them).

Registered with common.scoping at start-up, like the inventory's and alerting's scopes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from common import scoping
from sla.models import ExclusionClaim, Penalty, PenaltyStatus, Report

S = PenaltyStatus
PUT_TO_OPERATOR = (S.NOTIFIED, S.UPHELD, S.CHANGED, S.WAIVED, S.APPLIED)

REPORT_FIELDS = ("contract", "year", "month", "version", "inputs_hash", "created", "provisional")
PENALTY_FIELDS = (
    "contract",
    "year",
    "month",
    "link",
    "type",
    "ticket",
    "computed_ht",
    "amount_ht",
    "status",
    "notified_at",
    "operator_reply",
    "replied_at",
)
CLAIM_FIELDS = ("link", "start", "end", "type", "reason", "decision", "decided_at")


def reports(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(contract__operator_id=operator_id, provisional=False)


def penalties(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(contract__operator_id=operator_id, status__in=PUT_TO_OPERATOR)


def claims(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(link__operator_id=operator_id)


def register_scopes() -> None:
    scoping.register(Report, reports, REPORT_FIELDS)
    scoping.register(Penalty, penalties, PENALTY_FIELDS)
    scoping.register(ExclusionClaim, claims, CLAIM_FIELDS)
