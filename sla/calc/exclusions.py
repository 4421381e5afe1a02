"""Exclusions (R7): conforming maintenance, accepted claims and suspensions, third-party runs."""

from __future__ import annotations

from collections.abc import Sequence

from alerting.detector import Outage, SlotState
from sla.calc.intervals import IntervalSet
from sla.calc.model import (
    DecisionCode,
    ExclusionClaimInput,
    ImputabilityCode,
    Maintenance,
    MonitoringRunInput,
    TicketInput,
)

DAY_S = 86_400


def is_conforming(window: Maintenance, notice_days: int) -> bool:
    """Notified at least `notice_days` × 24 h of elapsed time before its start, not curative."""
    return not window.curative and window.notified_at <= window.planned_start - notice_days * DAY_S


def maintenance_exclusion(windows: Sequence[Maintenance], notice_days: int) -> IntervalSet:
    """Conforming windows up to their *planned* end: an overrun is never excluded."""
    return IntervalSet(
        (w.planned_start, w.planned_end) for w in windows if is_conforming(w, notice_days)
    )


def claim_exclusion(claims: Sequence[ExclusionClaimInput], decision: DecisionCode) -> IntervalSet:
    return IntervalSet((c.start, c.end) for c in claims if c.decision is decision)


def suspension_exclusion(tickets: Sequence[TicketInput]) -> IntervalSet:
    return IntervalSet((s.start, s.end) for t in tickets for s in t.suspensions if s.accepted)


def third_party_downtime(
    runs: Sequence[MonitoringRunInput], outages: Sequence[Outage]
) -> IntervalSet:
    """Downtime attributed to an upstream element: third-party DOWN runs, the UP gaps an outage
    absorbed between two of them, and an open outage's tail after its last one.

    `runs` are one subscription's, sorted.
    """
    within = IntervalSet((o.start, o.end) for o in outages)
    pairs: list[tuple[int, int]] = []
    down = [r for r in runs if r.state is SlotState.DOWN]
    for i, run in enumerate(down):
        nxt = down[i + 1] if i + 1 < len(down) else None
        if run.imputability is not ImputabilityCode.THIRD_PARTY:
            continue
        pairs.append((run.start, run.end))
        if nxt is not None and nxt.imputability is ImputabilityCode.THIRD_PARTY:
            pairs.append((run.end, nxt.start))  # kept only where an outage absorbed it
        elif nxt is None:
            pairs.extend((run.end, o.end) for o in outages if o.open and o.start <= run.start)
    tp_runs = IntervalSet(
        (r.start, r.end) for r in down if r.imputability is ImputabilityCode.THIRD_PARTY
    )
    return tp_runs | (IntervalSet(pairs) & within)


def exclusions(
    windows: Sequence[Maintenance],
    claims: Sequence[ExclusionClaimInput],
    tickets: Sequence[TicketInput],
    third_party: IntervalSet,
    notice_days: int,
) -> IntervalSet:
    """X for one subscription (proposed claims are not in it)."""
    return (
        maintenance_exclusion(windows, notice_days)
        | claim_exclusion(claims, DecisionCode.ACCEPTED)
        | suspension_exclusion(tickets)
        | third_party
    )
