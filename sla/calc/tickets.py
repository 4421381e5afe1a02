"""GTR and GTI per ticket (R9): clocks, restoration against evidence, reopenings, suspensions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sla.calc.findings import finding
from sla.calc.intervals import IntervalSet
from sla.calc.model import NEVER_BREACHES, Clock, ServiceClassTerms, TicketInput

HOUR_S = 3_600

# clock(span) → seconds of span counted by the clock (elapsed, or inside business hours)
ClockMeasure = Callable[[IntervalSet, Clock], int]


@dataclass(frozen=True)
class TicketResult:
    id: str
    gtr_s: int
    breach: bool
    started_hours: int
    gti_s: int | None
    gti_exceeded: bool
    final_restoration: int
    notes: tuple[str, ...] = field(default=())


def restoration(opened: int, declared: int, evidence: IntervalSet, skew: int) -> tuple[int, bool]:
    """The restoration time and whether it had to fall back on the declared time (a discrepancy).

    The end of the evidence interval containing `opened` or first following it within
    `[opened, declared + skew]`; the declared time when that end lies in `(declared, declared +
    skew]`, or when there is no such interval.
    """
    found = evidence.containing_or_after(opened)
    if found is None or found[0] > declared + skew:
        return declared, True
    end = found[1]
    if declared < end <= declared + skew:
        return declared, False
    return end, False


def ticket_segments(
    ticket: TicketInput, evidence: IntervalSet, skew: int, window_s: int
) -> tuple[IntervalSet, int, list[str]] | None:
    """The clocked segments `[opened, restoration)` plus in-window reopenings, and the final
    restoration; None while the ticket is not finally restored."""
    if ticket.restored_at is None:
        return None
    notes: list[str] = []
    end, fallback = restoration(ticket.opened_at, ticket.restored_at, evidence, skew)
    if fallback:
        notes.append(finding("declared_restoration", ticket=ticket.id))
    pairs = [(ticket.opened_at, end)]
    for reopening in ticket.reopenings:
        if reopening.at - end > window_s:
            notes.append(finding("late_reopening", ticket=ticket.id))
            break
        if reopening.restored_at is None:
            return None
        end, fallback = restoration(reopening.at, reopening.restored_at, evidence, skew)
        if fallback:
            notes.append(finding("reopening_without_evidence", ticket=ticket.id))
        pairs.append((reopening.at, end))
    return IntervalSet(pairs), end, notes


def evaluate_ticket(
    ticket: TicketInput,
    cls: ServiceClassTerms,
    evidence: IntervalSet,
    skew: int,
    window_s: int,
    clock: ClockMeasure,
) -> TicketResult | None:
    segments = ticket_segments(ticket, evidence, skew, window_s)
    if segments is None:
        return None
    span, final, notes = segments
    suspended = IntervalSet((s.start, s.end) for s in ticket.suspensions if s.accepted)
    gtr_s = clock(span - suspended, cls.gtr_clock)
    may_breach = ticket.imputability not in NEVER_BREACHES
    breach = may_breach and cls.gtr_minutes is not None and gtr_s > cls.gtr_minutes * 60
    overrun = gtr_s - (cls.gtr_minutes or 0) * 60
    gti_s = None
    if ticket.acknowledged_at is not None:
        gti_s = clock(IntervalSet.span(ticket.opened_at, ticket.acknowledged_at), cls.gti_clock)
    elif cls.gti_minutes is not None:
        notes.append(finding("never_acknowledged", ticket=ticket.id))
    gti_exceeded = (
        may_breach
        and gti_s is not None
        and cls.gti_minutes is not None
        and gti_s > cls.gti_minutes * 60
    )
    return TicketResult(
        id=ticket.id,
        gtr_s=gtr_s,
        breach=breach,
        started_hours=-(-overrun // HOUR_S) if breach else 0,
        gti_s=gti_s,
        gti_exceeded=gti_exceeded,
        final_restoration=final,
        notes=tuple(notes),
    )
