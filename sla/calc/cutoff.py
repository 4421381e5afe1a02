"""The end of the input (docs/sla.md, "The end of the input"; R3/R4, R13).

An evaluation sees only what was known when it ran: nothing dated after `as_of`, and no
monitoring after the instant up to which the monitoring list is complete (`monitoring_until`).
These functions cut the input there before anything is detected or measured, so that a report
run later never contradicts one run earlier about what happened before both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sla.calc.model import (
    Evaluation,
    ExclusionClaimInput,
    Maintenance,
    MonitoringRunInput,
    Reopening,
    TicketInput,
)


def timeline_end(ev: Evaluation, period_end: int, runs: Sequence[MonitoringRunInput]) -> int:
    """Where one subscription's monitoring timeline ends: `monitoring_until`, by default the
    later of the period end and its runs' latest end; `as_of` when that is earlier."""
    if ev.monitoring_until is not None:
        end = ev.monitoring_until
    else:
        end = max([period_end, *(r.end for r in runs)])
    return end if ev.as_of is None else min(end, ev.as_of)


def clip_runs(runs: Sequence[MonitoringRunInput], end: int) -> list[MonitoringRunInput]:
    """Runs cut at `end`: later runs dropped, a run across it shortened."""
    return [r if r.end <= end else replace(r, end=end) for r in runs if r.start < end]


def is_provisional(ev: Evaluation, period_end: int) -> bool:
    """R13: provisional while the file has `as_of`, or while some subscription's timeline ends
    less than `n_up + n_down` slots after the period end (an outage near the end of the month
    could still change); final once every timeline reaches past that."""
    if ev.as_of is not None:
        return True
    d = ev.contract.detector
    needed = period_end + (d.n_up + d.n_down) * d.slot_seconds
    by_sub: dict[str, list[MonitoringRunInput]] = {}
    for run in ev.monitoring:
        by_sub.setdefault(run.subscription, []).append(run)
    return any(
        timeline_end(ev, period_end, by_sub.get(s.id, [])) < needed for s in ev.subscriptions
    )


def known_at(ev: Evaluation) -> Evaluation:
    """The evaluation as it stood at `as_of`: tickets opened later dropped; every later
    acknowledgement, restoration and reopening not yet happened; suspensions cut there; claims
    starting later and maintenance notified later ignored. Without `as_of`, all is known."""
    if ev.as_of is None:
        return ev
    cut = ev.as_of
    return replace(
        ev,
        tickets=tuple(_ticket_at(t, cut) for t in ev.tickets if t.opened_at <= cut),
        maintenance=tuple(_notified(ev.maintenance, cut)),
        exclusions=tuple(_claims(ev.exclusions, cut)),
    )


def _ticket_at(ticket: TicketInput, cut: int) -> TicketInput:
    return replace(
        ticket,
        acknowledged_at=_until(ticket.acknowledged_at, cut),
        restored_at=_until(ticket.restored_at, cut),
        suspensions=tuple(
            replace(s, end=min(s.end, cut)) for s in ticket.suspensions if s.start < cut
        ),
        reopenings=tuple(
            Reopening(r.at, _until(r.restored_at, cut)) for r in ticket.reopenings if r.at <= cut
        ),
    )


def _until(moment: int | None, cut: int) -> int | None:
    return moment if moment is not None and moment <= cut else None


def _notified(windows: Sequence[Maintenance], cut: int) -> list[Maintenance]:
    return [w for w in windows if w.notified_at <= cut]


def _claims(claims: Sequence[ExclusionClaimInput], cut: int) -> list[ExclusionClaimInput]:
    return [c for c in claims if c.start <= cut]
