"""The evaluation of one month of a contract: every subscription, the fleet, sites and money.

`evaluate(evaluation)` is a pure function of the validated input (see `parser`); `to_document`
(in `sla.calc.output`) gives the JSON output of docs/sla.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from alerting.detector import Outage
from common.times import month_seconds
from sla.calc.availability import Availability, measure_availability
from sla.calc.calendar import business_schedule
from sla.calc.cutoff import clip_runs, is_provisional, known_at, timeline_end
from sla.calc.evidence import read_monitoring, ticket_evidence, up_during_ticket
from sla.calc.exclusions import claim_exclusion, exclusions, third_party_downtime
from sla.calc.findings import finding
from sla.calc.intervals import IntervalSet, union_all
from sla.calc.kpis import (
    KpiResult,
    assess,
    count_slots,
    counted_time,
    missed_amounts,
    slot_starts,
)
from sla.calc.model import (
    Clock,
    DecisionCode,
    Evaluation,
    ExclusionClaimInput,
    Maintenance,
    MonitoringRunInput,
    Role,
    ServiceClassTerms,
    Subscription,
    TicketInput,
)
from sla.calc.money import ContractTotals, capped, contract_totals, pct_of, prorated_fee
from sla.calc.parser import EvaluationError
from sla.calc.tickets import TicketResult, evaluate_ticket
from sla.calc.tiers import tier_rate

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PenaltyLine:
    type: str  # availability | gtr | gti | kpi
    ticket: str | None
    amount_ht: Decimal
    kpi: str | None = None  # the KPI missed, for a `kpi` line (R15)


@dataclass(frozen=True)
class SubscriptionResult:
    id: str
    site: str
    role: Role
    availability: Availability
    micro_outages: int
    tier_rate_pct: Decimal | None
    tickets: tuple[TicketResult, ...]
    penalties: tuple[PenaltyLine, ...]
    kpis: tuple[KpiResult, ...]  # R15, () when the class has none
    total_ht: Decimal
    disputed_ht: Decimal
    open_outages: int  # outages of the period the input ended in (R3/R4, flagged open)
    unconfirmed_outages: int  # ended in a short UP run the input ended in (flagged unconfirmed)
    outages: tuple[Outage, ...]  # the detector's outages touching the active period
    active: IntervalSet  # the active part of the month (24/7), for site figures
    down: IntervalSet  # downtime evidence not excluded, inside `active`
    notes: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationResult:
    subscriptions: tuple[SubscriptionResult, ...]
    fleet_availability: Fraction | None
    site_availability: dict[str, Fraction | None]
    totals: ContractTotals
    provisional: bool  # R13: not yet final (only final reports are notified)

    @property
    def open_outages(self) -> int:
        return sum(r.open_outages for r in self.subscriptions)

    @property
    def unconfirmed_outages(self) -> int:
        return sum(r.unconfirmed_outages for r in self.subscriptions)


@dataclass(frozen=True)
class _Inputs:
    runs: list[MonitoringRunInput]
    tickets: list[TicketInput]
    windows: list[Maintenance]
    claims: list[ExclusionClaimInput]


class _Context:
    """What every subscription of the file shares: the month, the contract, its calendar."""

    def __init__(self, ev: Evaluation) -> None:
        self.ev = ev
        self.contract = ev.contract
        self.zone = ZoneInfo(ev.contract.timezone)
        self.start, self.end = month_seconds(ev.year, ev.month, self.zone)
        self.open_end = self.end if ev.as_of is None else ev.as_of

    def business(self, start: int, end: int) -> IntervalSet:
        c = self.contract
        return business_schedule(start, end, c.business_hours, c.timezone, c.holidays)

    def clock(self, span: IntervalSet, clock: Clock) -> int:
        if clock is Clock.ELAPSED or not span:
            return span.measure
        return (span & self.business(span.pairs[0][0], span.pairs[-1][1])).measure


def _group(ev: Evaluation) -> dict[str, _Inputs]:
    groups: dict[str, _Inputs] = defaultdict(lambda: _Inputs([], [], [], []))
    for run in ev.monitoring:
        groups[run.subscription].runs.append(run)
    for ticket in ev.tickets:
        groups[ticket.subscription].tickets.append(ticket)
    for window in ev.maintenance:
        for name in window.subscriptions:
            groups[name].windows.append(window)
    for claim in ev.exclusions:
        groups[claim.subscription].claims.append(claim)
    for inputs in groups.values():
        inputs.runs.sort(key=lambda r: r.start)
    return groups


def _scheduled(ctx: _Context, cls: ServiceClassTerms, active: IntervalSet) -> IntervalSet:
    if cls.availability_schedule is Clock.ELAPSED or not active:
        return active
    start, end = active.pairs[0]
    return ctx.business(start, end)


def _ticket_lines(
    results: Sequence[TicketResult], cls: ServiceClassTerms, fee: Fraction
) -> list[PenaltyLine]:
    lines: list[PenaltyLine] = []
    for t in results:
        if t.breach and cls.gtr_penalty_pct_per_started_hour is not None:
            amount = pct_of(fee, cls.gtr_penalty_pct_per_started_hour, t.started_hours)
            lines.append(PenaltyLine("gtr", t.id, amount))
        if t.gti_exceeded and cls.gti_penalty_pct is not None:
            lines.append(PenaltyLine("gti", t.id, pct_of(fee, cls.gti_penalty_pct)))
    return lines


def _money(
    rate: Decimal | None, ticket_lines: list[PenaltyLine], fee: Fraction, cls: ServiceClassTerms
) -> tuple[list[PenaltyLine], Decimal]:
    lines = []
    if rate:
        lines.append(PenaltyLine("availability", None, pct_of(fee, rate)))
    lines += ticket_lines
    return lines, capped((p.amount_ht for p in lines), pct_of(fee, cls.monthly_cap_pct))


@dataclass(frozen=True)
class _Frame:
    """Where one subscription's month is measured: its active period, its schedule in it, and
    its monitoring runs cut at the end of its timeline (`last`)."""

    start: int  # of the active period (empty when end <= start)
    end: int
    active: IntervalSet
    scheduled: IntervalSet
    runs: list[MonitoringRunInput]
    last: int


def _frame(ctx: _Context, sub: Subscription, inputs: _Inputs) -> _Frame:
    cls = ctx.ev.service_classes[sub.service_class]
    start = max(ctx.start, sub.service_start)
    end = min(ctx.end, ctx.end if sub.service_end is None else sub.service_end)
    active = IntervalSet.span(start, end)
    last = timeline_end(ctx.ev, ctx.end, inputs.runs)
    runs = clip_runs(inputs.runs, last)
    return _Frame(start, end, active, _scheduled(ctx, cls, active), runs, last)


def _counted(ctx: _Context, frame: _Frame, inputs: _Inputs) -> IntervalSet:
    notice = ctx.contract.maintenance_notice_days
    return counted_time(frame.scheduled, frame.runs, inputs.windows, notice, ctx.ev.as_of)


def counted_slots(ev: Evaluation) -> dict[str, list[tuple[int, int]]]:
    """R15's counted slots of every subscription, as the evaluation reads the file: ranges
    `[first, stop)` of epoch-aligned slot starts. The metrics store aggregates over exactly
    these, so the file it writes agrees with the engine's recount."""
    ev = known_at(ev)
    ctx = _Context(ev)
    groups = _group(ev)
    empty = _Inputs([], [], [], [])
    slot = ev.contract.detector.slot_seconds
    spans = {}
    for sub in ev.subscriptions:
        inputs = groups.get(sub.id, empty)
        spans[sub.id] = slot_starts(_counted(ctx, _frame(ctx, sub, inputs), inputs), slot)
    return spans


def _kpis(
    ctx: _Context, index: int, sub: Subscription, frame: _Frame, inputs: _Inputs
) -> tuple[KpiResult, ...]:
    """R15: the file's counted slots checked against the file's data, then the KPIs."""
    m = sub.kpi_measurements
    if m is None:
        return ()
    slots = count_slots(_counted(ctx, frame, inputs), ctx.contract.detector.slot_seconds)
    if slots != m.slots:
        raise EvaluationError(
            f"subscriptions[{index}].kpi_measurements.slots",
            f"{m.slots} does not match the {slots} counted slots the file's data gives (R15)",
        )
    return assess(ctx.ev.service_classes[sub.service_class].kpis, m)


def _subscription(
    ctx: _Context, index: int, sub: Subscription, inputs: _Inputs
) -> SubscriptionResult:
    contract = ctx.contract
    cls = ctx.ev.service_classes[sub.service_class]
    frame = _frame(ctx, sub, inputs)
    active, runs, last = frame.active, frame.runs, frame.last
    active_start, active_end = frame.start, frame.end
    first = min([ctx.start, *(r.start for r in runs[:1])])
    monitoring = read_monitoring(runs, contract.detector, first, max(first, last), ctx.open_end)
    evidence = monitoring.outage_time | ticket_evidence(
        inputs.tickets, monitoring.unknown, ctx.open_end
    )
    excluded = exclusions(
        inputs.windows,
        inputs.claims,
        inputs.tickets,
        third_party_downtime(runs, monitoring.outages),
        contract.maintenance_notice_days,
    )
    scheduled = frame.scheduled
    figures = measure_availability(scheduled, evidence, excluded, monitoring.unknown)
    rate = tier_rate(figures.exact, cls.availability_tiers)
    fee = prorated_fee(sub.monthly_fee_ht, active.measure, ctx.end - ctx.start)

    notes: list[str] = []
    results: list[TicketResult] = []
    for ticket in inputs.tickets:
        result = evaluate_ticket(
            ticket,
            cls,
            evidence,
            contract.skew_tolerance_seconds,
            contract.reopen_window_hours * 3600,
            ctx.clock,
        )
        if result is not None and ctx.start <= result.final_restoration < ctx.end:
            results.append(result)
            notes.extend(result.notes)
        up = up_during_ticket(ticket, monitoring, ctx.open_end, last)
        if up > contract.skew_tolerance_seconds:
            notes.append(finding("ticket_up_during", ticket=ticket.id, seconds=up))
    kpis = _kpis(ctx, index, sub, frame, inputs)
    ticket_lines = _ticket_lines(results, cls, fee) + [
        PenaltyLine("kpi", None, amount, kpi) for kpi, amount in missed_amounts(kpis, cls.kpis, fee)
    ]
    penalties, total = _money(rate, ticket_lines, fee, cls)

    claimed = excluded | claim_exclusion(inputs.claims, DecisionCode.PROPOSED)
    if claimed != excluded:
        conceded = measure_availability(scheduled, evidence, claimed, monitoring.unknown)
        _, total_if_accepted = _money(
            tier_rate(conceded.exact, cls.availability_tiers), ticket_lines, fee, cls
        )
        disputed = max(total - total_if_accepted, ZERO)
    else:
        disputed = ZERO

    outages = tuple(
        o for o in monitoring.outages if active and o.end > active_start and o.start < active_end
    )
    open_count = sum(o.open for o in outages)
    unconfirmed = sum(o.unconfirmed for o in outages)
    if open_count:
        notes.append(finding("outage_open", subscription=sub.id))
    if unconfirmed:
        notes.append(finding("recovery_unconfirmed", subscription=sub.id))
    if figures.insufficiently_measured:
        notes.append(finding("insufficiently_measured", subscription=sub.id))
    if kpis and cls.kpis and not kpis[0].sufficient:
        notes.append(
            finding("kpis_not_covered", subscription=sub.id, minimum=cls.kpis.min_coverage_pct)
        )
    return SubscriptionResult(
        id=sub.id,
        site=sub.site,
        role=sub.role,
        availability=figures,
        micro_outages=sum(active_start <= s < active_end for s in monitoring.micro_outage_starts),
        tier_rate_pct=rate,
        tickets=tuple(results),
        penalties=tuple(penalties),
        kpis=kpis,
        total_ht=total,
        disputed_ht=disputed,
        open_outages=open_count,
        unconfirmed_outages=unconfirmed,
        outages=outages,
        active=active,
        down=(evidence - excluded) & active,
        notes=tuple(notes),
    )


def _fleet(results: Sequence[SubscriptionResult]) -> Fraction | None:
    primaries = [r.availability for r in results if r.role is Role.PRIMARY]
    required = sum(a.required_s for a in primaries)
    if required == 0:
        return None
    return Fraction(required - sum(a.downtime_s for a in primaries), required)


def _sites(results: Sequence[SubscriptionResult]) -> dict[str, Fraction | None]:
    """A site is down when none of its active subscriptions is up (24/7, excluded time is up)."""
    by_site: dict[str, list[SubscriptionResult]] = defaultdict(list)
    for r in results:
        by_site[r.site].append(r)
    figures: dict[str, Fraction | None] = {}
    for site in sorted(by_site):
        members = by_site[site]
        active = union_all(r.active for r in members)
        up = union_all(r.active - r.down for r in members)
        span = active.measure
        figures[site] = None if span == 0 else Fraction(up.measure, span)
    return figures


def evaluate(ev: Evaluation) -> EvaluationResult:
    ev = known_at(ev)
    ctx = _Context(ev)
    groups = _group(ev)
    empty = _Inputs([], [], [], [])
    results = tuple(
        _subscription(ctx, i, s, groups.get(s.id, empty)) for i, s in enumerate(ev.subscriptions)
    )
    c = ev.contract
    totals = contract_totals(
        (r.total_ht for r in results),
        c.amount_total_ht,
        c.penalty_cap_contract_pct,
        c.penalties_to_date_ht,
        c.exemption_threshold_ht,
    )
    return EvaluationResult(
        results, _fleet(results), _sites(results), totals, is_provisional(ev, ctx.end)
    )
