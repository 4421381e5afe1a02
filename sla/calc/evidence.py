"""Downtime evidence (R3–R6): monitoring outages, ticket evidence where monitoring is blind, and
their union, never counting an instant twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alerting.detector import DetectorParams, Outage, SlotState, detect, runs_with_up_gaps
from sla.calc.intervals import IntervalSet
from sla.calc.model import ImputabilityCode, MonitoringRunInput, TicketInput


@dataclass(frozen=True)
class Monitoring:
    """What the detector and the raw runs say about one subscription over the input timeline."""

    outages: tuple[Outage, ...]
    micro_outage_starts: tuple[int, ...]
    outage_time: IntervalSet
    down_runs: IntervalSet
    unknown: IntervalSet


def read_monitoring(
    runs: Sequence[MonitoringRunInput], params: DetectorParams, start: int, end: int, open_end: int
) -> Monitoring:
    """Run the detector over `[start, end)` (gaps between runs are UP); open outages run to
    `open_end`. `runs` are one subscription's, sorted and disjoint."""
    timeline = runs_with_up_gaps(((r.start, r.end, r.state) for r in runs), start, end)
    found = detect(timeline, params, open_end)
    return Monitoring(
        outages=tuple(found.outages),
        micro_outage_starts=tuple(m.start for m in found.micro_outages),
        outage_time=IntervalSet((o.start, o.end) for o in found.outages),
        down_runs=IntervalSet((r.start, r.end) for r in runs if r.state is SlotState.DOWN),
        unknown=IntervalSet((r.start, r.end) for r in runs if r.state is SlotState.UNKNOWN),
    )


def ticket_span(ticket: TicketInput, open_end: int) -> IntervalSet:
    """The fault as the ticket declares it: `[fault_start or opened_at, restored_at)` and each
    reopened segment; an unrestored segment runs to `open_end`."""
    pairs = [(ticket.fault_start or ticket.opened_at, _or(ticket.restored_at, open_end))]
    pairs += [(r.at, _or(r.restored_at, open_end)) for r in ticket.reopenings]
    return IntervalSet(pairs)


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def ticket_evidence(
    tickets: Sequence[TicketInput], unknown: IntervalSet, open_end: int
) -> IntervalSet:
    """R5: where monitoring is UNKNOWN, a ticket not imputable to the client is downtime."""
    spans = [
        ticket_span(t, open_end) for t in tickets if t.imputability is not ImputabilityCode.CLIENT
    ]
    covered = IntervalSet(p for s in spans for p in s.pairs)
    return covered & unknown


def up_during_ticket(
    ticket: TicketInput, monitoring: Monitoring, open_end: int, monitoring_end: int
) -> int:
    """Seconds monitoring saw UP (outside any outage) while the ticket says the link was down;
    after `monitoring_end` there is no monitoring, so nothing was seen."""
    seen = monitoring.outage_time | monitoring.down_runs | monitoring.unknown
    unseen = ticket_span(ticket, open_end) - seen
    return unseen.clip(unseen.pairs[0][0], monitoring_end).measure if unseen else 0
