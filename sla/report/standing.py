"""Where the month stands, in words: what is owed and why, and what happens next.

The report's first block (page and PDF). It never shows the amount as zero because of the
exemption: the exemption is the buyer's decision at the end of the contract (docs/sla.md R11),
so the report says where the contract stands against its threshold and keeps the amount. The
next step comes from the month's penalty lines: the least advanced status decides it, and a
notified line's procédure contradictoire ends 15 days after its notification.

Every sentence is built in the active language (the renderers call it under
`translation.override`); figures carry their units (`common.quantities`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from common.quantities import amount, moment, percent
from sla.models import CONTRADICTOIRE, PenaltyStatus
from sla.report.content import ReportContent

S = PenaltyStatus
# The workflow's order: the first status present among the month's lines sets the next step.
ORDER = (S.COMPUTED, S.PROPOSED, S.NOTIFIED, S.UPHELD, S.CHANGED, S.APPLIED, S.WAIVED)


@dataclass(frozen=True)
class Statement:
    key: str  # owed | caps | cap_standing | exemption | state | next
    title: str
    text: str


def _due(content: ReportContent) -> datetime | None:
    """The end of the contradictoire: the latest notification of the month's notified lines
    + 15 days (each line has its own; the month is settled when the last one ends)."""
    notified = [
        p.notified_at
        for p in content.penalties
        if p.status == S.NOTIFIED and p.notified_at is not None
    ]
    return max(notified) + CONTRADICTOIRE if notified else None


def next_step(content: ReportContent, now: datetime | None = None) -> str:
    """The workflow's next step for the month, and its deadline when there is one."""
    now = now or datetime.now(UTC)
    statuses = {p.status for p in content.penalties}
    if not statuses:
        if content.provisional:
            return _(
                "No penalty line yet. The report is provisional: evaluate the month again once "
                "the monitoring reaches past its end."
            )
        return _("Nothing to do: the month has no penalty line.")
    first = next(s for s in ORDER if s in statuses)
    if first in (S.COMPUTED, S.PROPOSED) and content.provisional:
        return _(
            "Wait for the final report: a provisional report's lines cannot be notified (R13). "
            "Evaluate the month again once the monitoring reaches past its end."
        )
    if first == S.COMPUTED:
        return _(
            "Propose the computed lines (editor), then notify them to the operator, who then has "
            "15 days to reply (procédure contradictoire)."
        )
    if first == S.PROPOSED:
        return _(
            "Notify the proposed lines to the operator (editor): the operator then has 15 days "
            "to reply (procédure contradictoire)."
        )
    if first == S.NOTIFIED:
        due = _due(content)
        if due is None:
            return _("Decide each notified line (administrator).")
        if now < due:
            return _(
                "Procédure contradictoire: the operator may reply until %(due)s. Then decide "
                "each line (administrator): uphold, change or waive; earlier if its reply is "
                "on file."
            ) % {"due": moment(due.astimezone(_zone(content)))}
        return _(
            "The procédure contradictoire ended on %(due)s: decide each notified line "
            "(administrator): uphold, change or waive."
        ) % {"due": moment(due.astimezone(_zone(content)))}
    if first in (S.UPHELD, S.CHANGED):
        return _("Apply the decided lines (administrator): they go to the invoice deduction.")
    return _("Done: every line of the month is applied or waived.")


def _zone(content: ReportContent) -> ZoneInfo:
    return ZoneInfo(str(content.parameters.get("timezone", "Europe/Paris")))


def standing(content: ReportContent, now: datetime | None = None) -> list[Statement]:
    """The summary's sentences, in the active language."""
    s = content.summary
    out = [
        Statement(
            "owed",
            _("Proposed penalties"),
            _(
                "%(total)s proposed for %(period)s (no VAT). It is the amount the syndicate puts "
                "to the operator; the exemption does not reduce it (see below)."
            )
            % {"total": amount(s.proposed_ht), "period": content.period},
        )
    ]
    monthly = s.lines_ht - s.after_monthly_caps_ht
    contract = s.after_monthly_caps_ht - s.proposed_ht
    if not monthly and not contract:
        caps = _(
            "No cap changes it: the penalty lines add up to %(lines)s and neither a "
            "subscription's monthly cap nor the contract cap is reached."
        ) % {"lines": amount(s.lines_ht)}
    else:
        caps = _(
            "The penalty lines add up to %(lines)s; the monthly caps take off %(monthly)s and "
            "the contract cap %(contract)s, which leaves %(total)s."
        ) % {
            "lines": amount(s.lines_ht),
            "monthly": amount(monthly),
            "contract": amount(contract),
            "total": amount(s.proposed_ht),
        }
    out.append(Statement("caps", _("Caps"), caps))
    out.append(
        Statement(
            "cap_standing",
            _("Contract cap"),
            _(
                "With the %(before)s of earlier months, the contract's penalties reach "
                "%(running)s, %(used)s of its cap of %(cap)s."
            )
            % {
                "before": amount(s.penalties_to_date_ht),
                "running": amount(s.running_total_ht),
                "used": percent(s.cap_used_pct) or "—",
                "cap": amount(s.cap_ht),
            },
        )
    )
    if s.running_total_ht <= s.exemption_threshold_ht:
        exemption = _(
            "So far the contract's penalties (%(running)s) stay at or under the exemption "
            "threshold of %(threshold)s (%(margin)s to go). If they still do at the end of the "
            "contract, the buyer may waive them: that is its decision then, so the amounts "
            "stand until then."
        ) % {
            "running": amount(s.running_total_ht),
            "threshold": amount(s.exemption_threshold_ht),
            "margin": amount(s.exemption_threshold_ht - s.running_total_ht),
        }
    else:
        exemption = _(
            "The contract's penalties (%(running)s) are over the exemption threshold of "
            "%(threshold)s: the exemption can no longer apply."
        ) % {
            "running": amount(s.running_total_ht),
            "threshold": amount(s.exemption_threshold_ht),
        }
    out.append(Statement("exemption", _("Exemption threshold"), exemption))
    if content.provisional:
        state = _(
            "Provisional: the monitoring does not yet reach far enough past the month's end, so "
            "the figures may still change and the lines cannot be notified (R13)."
        )
    else:
        state = _(
            "Final: the monitoring reaches past the month's end; evaluating again would not "
            "change the figures (R13)."
        )
    out.append(Statement("state", _("Provisional or final"), state))
    out.append(Statement("next", _("Next step"), next_step(content, now)))
    return out
