"""The penalty workflow: computed → proposed → notified (+15 days contradictoire) → upheld /
changed / waived → applied, with the role each step needs. Every change is change-logged.

Editors prepare (propose, notify, send back to computed); only administrators decide (uphold,
change, waive, apply). A decision waits for the end of the contradictoire unless the operator's
reply is on file. The operator files that reply itself (`reply`), on its own notified lines and
until the contradictoire ends; staff may also record a reply received by letter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from common.changes import change_context
from common.roles import ADMIN, EDIT, ROLE_LABELS, has_role, is_operator
from common.scoping import operator_id
from sla.models import TRANSITIONS, Penalty, PenaltyStatus

S = PenaltyStatus
NEEDS_ADMIN = frozenset({S.UPHELD, S.CHANGED, S.WAIVED, S.APPLIED})
DECISIONS = frozenset({S.UPHELD, S.CHANGED, S.WAIVED})


class WorkflowError(ValueError):
    """A transition refused: why, in words a user can act on."""


class WorkflowPermissionError(WorkflowError):
    """The user's role does not allow this step."""


def allowed(penalty: Penalty, user: Any) -> list[str]:
    """The statuses this user may move the penalty to now."""
    return [s for s in TRANSITIONS[penalty.status] if has_role(user, _role_for(s))]


def _when(moment: datetime) -> str:
    """A deadline as the reader writes it, in the display time zone."""
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT")


def _role_for(status: str) -> str:
    return ADMIN if status in NEEDS_ADMIN else EDIT


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise WorkflowError(_("amount %(value)r is not a number") % {"value": value}) from None
    if not amount.is_finite() or amount < 0:
        raise WorkflowError(_("the amount must be a number ≥ 0"))
    if amount != amount.quantize(Decimal("0.01")):
        raise WorkflowError(_("the amount has at most two decimals (cents)"))
    return amount.quantize(Decimal("0.01"))


def transition(
    penalty: Penalty,
    to: str,
    user: Any,
    *,
    amount: Any = None,
    comment: str = "",
    reply: str = "",
    now: datetime | None = None,
) -> Penalty:
    """Move `penalty` to status `to`, or raise `WorkflowError` saying why not."""
    now = now or datetime.now(UTC)
    if to not in S.values:
        raise WorkflowError(_("unknown status %(to)r") % {"to": to})
    if to not in TRANSITIONS[penalty.status]:
        raise WorkflowError(
            _("a line that is %(now)s cannot become %(to)s")
            % {"now": penalty.get_status_display().lower(), "to": S(to).label.lower()}
        )
    if not has_role(user, _role_for(to)):
        raise WorkflowPermissionError(
            _("moving a penalty to %(to)s needs the %(role)s role")
            % {"to": S(to).label.lower(), "role": ROLE_LABELS[_role_for(to)]}
        )
    if reply:
        _record_reply(penalty, reply, user, now)
    if to in DECISIONS:
        due = penalty.answer_due
        if due is not None and now < due and not penalty.operator_reply.strip():
            raise WorkflowError(
                _(
                    "the operator has until %(due)s to comment (contradictoire); record its reply "
                    "to decide earlier"
                )
                % {"due": _when(due)}
            )
    if to == S.CHANGED:
        if amount is None or str(amount).strip() == "":
            raise WorkflowError(_("a changed penalty needs its new amount"))
        penalty.amount_ht = _amount(amount)
        if not comment.strip():
            raise WorkflowError(_("say why the amount changed (comment)"))
    elif amount not in (None, ""):
        raise WorkflowError(_("only a change sets a new amount"))
    if to == S.WAIVED:
        if not comment.strip():
            raise WorkflowError(_("say why the penalty is waived (comment)"))
        penalty.amount_ht = Decimal("0.00")
    if to == S.NOTIFIED:
        if penalty.report.provisional:
            raise WorkflowError(
                _(
                    "the report behind this line is provisional (docs/sla.md R13): only a final "
                    "report's lines are notified; evaluate the month again once its monitoring "
                    "reaches past the month's end"
                )
            )
        penalty.notified_at = now
    if to == S.COMPUTED:
        penalty.notified_at = None
    if comment:
        penalty.comment = comment
    penalty.status = to
    with change_context(user=user, source="sla-workflow"), transaction.atomic():
        penalty.save()
    return penalty


MAX_REPLY = 20_000  # characters: a letter's worth; longer documents go by post


def _record_reply(penalty: Penalty, text: str, user: Any, now: datetime) -> None:
    text = text.strip()
    if not text:
        raise WorkflowError(_("the reply is empty"))
    if len(text) > MAX_REPLY:
        raise WorkflowError(
            _("the reply is longer than %(max)s characters")
            % {"max": number_format(MAX_REPLY, force_grouping=True)}
        )
    penalty.operator_reply = text
    penalty.replied_at = now
    penalty.replied_by = user if getattr(user, "is_authenticated", False) else None


def reply_open(penalty: Penalty, now: datetime) -> bool:
    """Whether the operator may still file (or amend) its reply: notified, within 15 days."""
    due = penalty.answer_due
    return penalty.status == S.NOTIFIED and due is not None and now < due


def reply(penalty: Penalty, user: Any, text: str, *, now: datetime | None = None) -> Penalty:
    """The operator's reply to a notified penalty line, filed by its own account: allowed while
    the line is notified and the contradictoire runs (it may be amended until then)."""
    now = now or datetime.now(UTC)
    if not is_operator(user) or operator_id(user) != penalty.contract.operator_id:
        raise WorkflowPermissionError(_("only the operator holding the contract replies here"))
    if not reply_open(penalty, now):
        due = penalty.answer_due
        if penalty.status == S.NOTIFIED and due is not None:
            raise WorkflowError(_("the contradictoire ended on %(due)s") % {"due": _when(due)})
        raise WorkflowError(
            _("the line is %(status)s: replies are filed while it is notified")
            % {"status": penalty.get_status_display().lower()}
        )
    _record_reply(penalty, text, user, now)
    with change_context(user=user, source="sla-reply"), transaction.atomic():
        penalty.save(update_fields=["operator_reply", "replied_at", "replied_by", "last_updated"])
    return penalty
