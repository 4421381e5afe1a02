"""Everything the monthly report shows, computed once from one report version.

The figures come from the version's stored inputs (the evaluation file) and output; the
inventory only names things (sites, categories, departments). Aggregates add *time*, never
percentages (docs/sla.md "Fleet and site"); every percentage is truncated (R12). The renderers (web
page, PDF, CSV, XLSX) only lay this out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise

from common.times import month_seconds, to_seconds
from sla.calc.calendar import business_schedule, is_public_holiday
from sla.calc.display import pct_truncated
from sla.calc.intervals import IntervalSet
from sla.calc.model import Clock
from sla.calc.parser import parse_evaluation
from sla.capacity import Capacity
from sla.report.findings import say

NEVER_BREACHES = {"client", "force_majeure", "third_party"}
WORST_SITES = 15


@dataclass(frozen=True)
class SiteInfo:
    """What the inventory says about a subscription's link (names only, no figures)."""

    link_id: int
    site_code: str
    site_name: str
    category: str
    category_label: str | Promise  # translated when a table is built, in the report's language
    department: str
    class_name: str
    technology: str
    establishment_id: int | None = None  # the site's page (evidence links)


@dataclass
class Aggregate:
    """Time sums for a group of subscriptions: availability = Σ(T_req − D) / Σ T_req."""

    label: str | Promise
    subscriptions: int = 0
    required_s: int = 0
    downtime_s: int = 0
    unknown_s: int = 0
    scheduled_s: int = 0
    penalties_ht: Decimal = Decimal("0.00")
    below_target: int = 0

    def add(self, s: dict[str, Any]) -> None:
        self.subscriptions += 1
        self.required_s += s["required_s"]
        self.downtime_s += s["downtime_s"]
        self.unknown_s += s["unknown_s"]
        self.scheduled_s += s["scheduled_s"]
        self.penalties_ht += Decimal(s["total_ht"])
        self.below_target += 1 if s["tier_rate_pct"] not in (None, "0") else 0

    @property
    def availability(self) -> Fraction | None:
        if not self.required_s:
            return None
        return Fraction(self.required_s - self.downtime_s, self.required_s)

    @property
    def availability_pct(self) -> str | None:
        return pct_truncated(self.availability)

    @property
    def coverage_pct(self) -> str | None:
        if not self.scheduled_s:
            return None
        return pct_truncated(Fraction(self.scheduled_s - self.unknown_s, self.scheduled_s))


@dataclass(frozen=True)
class TicketRow:
    id: str
    subscription: str
    site: str
    opened_at: datetime | None
    restored_at: datetime | None
    imputability: str
    gti_s: int | None
    gti_guaranteed_s: int | None
    gtr_s: int
    gtr_guaranteed_s: int | None
    breach: bool
    started_hours: int


@dataclass(frozen=True)
class OutageRow:
    """An outage the input ended in (docs/sla.md, "The end of the input")."""

    subscription: str
    site: str
    start: datetime | None
    end: datetime | None
    state: str  # open | unconfirmed


@dataclass(frozen=True)
class WorksRow:
    reference: str
    planned_start: datetime | None
    planned_end: datetime | None
    notified_at: datetime | None
    notice_days: Decimal
    required_days: int
    curative: bool
    conforming: bool
    subscriptions: int
    overrun_min: int  # the longest DOWN run begun inside the window, past its planned end


@dataclass(frozen=True)
class ClaimRow:
    subscription: str
    site: str
    start: datetime | None
    end: datetime | None
    type: str
    decision: str
    hours: Decimal
    disputed_ht: Decimal
    # What the claim did (R7): excluded | outside_schedule | no_downtime | pending, and the
    # downtime evidence it covered inside the service schedule (seconds).
    effect: str = ""
    effect_s: int = 0


@dataclass(frozen=True)
class PenaltyRow:
    subscription: str
    site: str
    type: str
    ticket: str
    computed_ht: Decimal
    amount_ht: Decimal
    status: str
    recomputed_ht: Decimal | None
    period: str = ""
    notified_at: datetime | None = None


@dataclass(frozen=True)
class CapacityRow:
    subscription: str
    site: str
    committed_down_bps: int | None
    p95_down_bps: float | None
    committed_up_bps: int | None
    p95_up_bps: float | None
    share_80_pct: str | None
    episodes: int
    coverage_pct: str | None


@dataclass
class Summary:
    fleet_availability_pct: str | None
    subscriptions: int
    primary: int
    incidents: int
    tickets: int
    gtr_tickets: int
    gtr_breaches: int
    gtr_compliance_pct: str | None
    proposed_ht: Decimal
    penalties_to_date_ht: Decimal
    running_total_ht: Decimal
    cap_ht: Decimal
    cap_used_pct: str | None
    cap_reached: bool
    exemption_threshold_ht: Decimal
    exemption_applies: bool
    coverage_pct: str | None
    downtime_s: int
    disputed_ht: Decimal
    open_outages: int = 0
    unconfirmed_outages: int = 0
    lines_ht: Decimal = Decimal("0.00")  # every engine line, before any cap
    after_monthly_caps_ht: Decimal = Decimal("0.00")  # Σ subscription totals (monthly caps)


@dataclass
class ReportContent:
    contract: str
    contract_title: str
    operator: str
    period: str
    version: int
    inputs_hash: str
    code_version: str
    created: datetime
    provisional: bool
    summary: Summary
    by_class: list[Aggregate]
    worst_sites: list[tuple[str, str, str | None, int, Decimal]]
    by_category: list[Aggregate]
    by_department: list[Aggregate]
    tickets: list[TicketRow]
    works: list[WorksRow]
    claims: list[ClaimRow]
    capacity: list[CapacityRow]
    capacity_measured: int
    penalties: list[PenaltyRow]
    adjustments: list[PenaltyRow]
    quality: list[str]
    engine_notes: list[str]
    outages: list[OutageRow]
    parameters: dict[str, Any]
    classes: dict[str, dict[str, Any]]
    holidays: list[date]
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    sites: dict[str, SiteInfo] = field(default_factory=dict)
    class_names: dict[str, str] = field(default_factory=dict)  # class slug → its name
    ticket_pks: dict[str, int] = field(default_factory=dict)  # ticket reference → its page
    outage_incidents: dict[tuple[str, datetime | None], int] = field(default_factory=dict)


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def local(moment: str | None, zone: ZoneInfo) -> datetime | None:
    """An ISO time in the contract's zone (the renderers show it to the minute)."""
    if moment is None:
        return None
    return _parse(moment).astimezone(zone)


def _pct(numerator: int | Decimal, denominator: int | Decimal) -> str | None:
    if not denominator:
        return None
    return pct_truncated(Fraction(numerator) / Fraction(denominator))


def _holidays(year: int, month: int) -> list[date]:
    from calendar import monthrange

    days = (date(year, month, d) for d in range(1, monthrange(year, month)[1] + 1))
    return [d for d in days if is_public_holiday(d, "FR")]


def _tickets(
    inputs: dict[str, Any], output: dict[str, Any], sites: dict[str, SiteInfo], zone: ZoneInfo
) -> list[TicketRow]:
    declared = {t["id"]: t for t in inputs["tickets"]}
    cls_of = {
        s["id"]: inputs["service_classes"][s["service_class"]] for s in inputs["subscriptions"]
    }
    rows = []
    for s in output["subscriptions"]:
        cls = cls_of[s["id"]]
        for t in s["tickets"]:
            d = declared.get(t["id"], {})
            gtr = cls["gtr_minutes"]
            gti = cls["gti_minutes"]
            rows.append(
                TicketRow(
                    id=t["id"],
                    subscription=s["id"],
                    site=sites[s["id"]].site_code if s["id"] in sites else "",
                    opened_at=local(d.get("opened_at"), zone),
                    restored_at=local(d.get("restored_at"), zone),
                    imputability=d.get("imputability", "unknown"),
                    gti_s=t["gti_s"],
                    gti_guaranteed_s=None if gti is None else gti * 60,
                    gtr_s=t["gtr_s"],
                    gtr_guaranteed_s=None if gtr is None else gtr * 60,
                    breach=t["breach"],
                    started_hours=t["started_hours"],
                )
            )
    rows.sort(key=lambda r: (r.opened_at is None, r.opened_at or datetime.min.replace(tzinfo=UTC)))
    return rows


def _overrun(w: dict[str, Any], down: dict[str, list[tuple[datetime, datetime]]]) -> int:
    """Minutes past the planned end of the longest DOWN run that began inside the window
    (never excluded, R7), over the window's subscriptions."""
    start, end = _parse(w["planned_start"]), _parse(w["planned_end"])
    worst = 0.0
    for sub in w["subscriptions"]:
        for r_start, r_end in down.get(sub, ()):
            if start <= r_start < end < r_end:
                worst = max(worst, (r_end - end).total_seconds())
    return int(worst // 60)


def _works(inputs: dict[str, Any], zone: ZoneInfo) -> list[WorksRow]:
    required = inputs["contract"]["maintenance_notice_days"]
    down: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for run in inputs["monitoring"]:
        if run["state"] == "down":
            down[run["subscription"]].append((_parse(run["start"]), _parse(run["end"])))
    rows = []
    for w in inputs["maintenance"]:
        notice = _parse(w["planned_start"]) - _parse(w["notified_at"])
        days = (Decimal(int(notice.total_seconds())) / 86400).quantize(Decimal("0.1"))
        conforming = not w["curative"] and notice.total_seconds() >= required * 86400
        rows.append(
            WorksRow(
                reference=w.get("_reference", ""),
                planned_start=local(w["planned_start"], zone),
                planned_end=local(w["planned_end"], zone),
                notified_at=local(w["notified_at"], zone),
                notice_days=days,
                required_days=required,
                curative=w["curative"],
                conforming=conforming,
                subscriptions=len(w["subscriptions"]),
                overrun_min=_overrun(w, down),
            )
        )
    return rows


def _schedules(inputs: dict[str, Any]) -> dict[str, IntervalSet]:
    """Each subscription's scheduled time in the month (R2, as the engine computes it)."""
    bare = {**inputs, "monitoring": [], "tickets": [], "maintenance": [], "exclusions": []}
    ev = parse_evaluation(bare)
    c = ev.contract
    start, end = month_seconds(ev.year, ev.month, ZoneInfo(c.timezone))
    out = {}
    for sub in ev.subscriptions:
        active = IntervalSet.span(max(start, sub.service_start), min(end, sub.service_end or end))
        cls = ev.service_classes[sub.service_class]
        if cls.availability_schedule is Clock.ELAPSED or not active:
            out[sub.id] = active
        else:
            lo, hi = active.pairs[0]
            out[sub.id] = business_schedule(lo, hi, c.business_hours, c.timezone, c.holidays)
    return out


def _evidence(inputs: dict[str, Any]) -> dict[str, IntervalSet]:
    """Each subscription's downtime evidence as the file states it: DOWN runs and tickets'
    declared spans (an upper bound of the engine's R6 union)."""
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for run in inputs["monitoring"]:
        if run["state"] == "down":
            pairs[run["subscription"]].append(
                (to_seconds(_parse(run["start"])), to_seconds(_parse(run["end"])))
            )
    for t in inputs["tickets"]:
        if t.get("opened_at") and t.get("restored_at"):
            pairs[t["subscription"]].append(
                (to_seconds(_parse(t["opened_at"])), to_seconds(_parse(t["restored_at"])))
            )
    return {sub: IntervalSet(p) for sub, p in pairs.items()}


def claim_effect(
    claim: dict[str, Any], schedule: IntervalSet | None, evidence: IntervalSet | None
) -> tuple[str, int]:
    """What an accepted claim did (R7 excludes downtime only, inside the schedule): `excluded`
    with the downtime evidence it covered, `outside_schedule` or `no_downtime` (it changed
    nothing, and the report says why); a pending claim is `pending`."""
    if claim["decision"] != "accepted":
        return "pending", 0
    span = IntervalSet.span(to_seconds(_parse(claim["start"])), to_seconds(_parse(claim["end"])))
    scheduled = span & (schedule or IntervalSet())
    if not scheduled:
        return "outside_schedule", 0
    covered = scheduled & (evidence or IntervalSet())
    if not covered:
        return "no_downtime", 0
    return "excluded", covered.measure


def _claims(
    inputs: dict[str, Any], output: dict[str, Any], sites: dict[str, SiteInfo], zone: ZoneInfo
) -> list[ClaimRow]:
    disputed = {s["id"]: Decimal(s["disputed_ht"]) for s in output["subscriptions"]}
    schedules = _schedules(inputs) if inputs["exclusions"] else {}
    evidence = _evidence(inputs) if inputs["exclusions"] else {}
    rows = []
    for c in inputs["exclusions"]:
        seconds = (_parse(c["end"]) - _parse(c["start"])).total_seconds()
        effect, effect_s = claim_effect(
            c, schedules.get(c["subscription"]), evidence.get(c["subscription"])
        )
        rows.append(
            ClaimRow(
                subscription=c["subscription"],
                site=sites[c["subscription"]].site_code if c["subscription"] in sites else "",
                start=local(c["start"], zone),
                end=local(c["end"], zone),
                type=c["type"],
                decision=c["decision"],
                hours=(Decimal(int(seconds)) / 3600).quantize(Decimal("0.01")),
                disputed_ht=disputed.get(c["subscription"], Decimal("0.00"))
                if c["decision"] == "proposed"
                else Decimal("0.00"),
                effect=effect,
                effect_s=effect_s,
            )
        )
    return rows


def _capacity(
    capacity: dict[int, Capacity], subs: list[dict[str, Any]], sites: dict[str, SiteInfo]
) -> list[CapacityRow]:
    rows = []
    for s in subs:
        info = sites.get(s["id"])
        cap = capacity.get(info.link_id) if info else None
        if info is None or cap is None:
            continue
        share = None
        measured = cap.down.measured
        if cap.down.committed_bps and measured:
            share = _pct(cap.down.at_or_above_80, measured)
        rows.append(
            CapacityRow(
                subscription=s["id"],
                site=info.site_code,
                committed_down_bps=cap.down.committed_bps,
                p95_down_bps=cap.down.p95_bps,
                committed_up_bps=cap.up.committed_bps,
                p95_up_bps=cap.up.p95_bps,
                share_80_pct=share,
                episodes=cap.down.episodes + cap.up.episodes,
                coverage_pct=_pct(measured, cap.intervals),
            )
        )
    # Most loaded first: p95 as a share of the committed rate, down direction.
    rows.sort(key=lambda r: -(r.p95_down_bps or 0) / (r.committed_down_bps or 1))
    return rows


def _group(subs: list[dict[str, Any]], key: Any, label: Any, primary: set[str]) -> list[Aggregate]:
    groups: dict[str, Aggregate] = {}
    for s in subs:
        if s["id"] not in primary:
            continue
        k = key(s)
        groups.setdefault(k, Aggregate(label(s))).add(s)
    return [groups[k] for k in sorted(groups)]


def build_content(
    report: Any,
    sites: dict[str, SiteInfo],
    penalties: list[PenaltyRow],
    adjustments: list[PenaltyRow],
    capacity: dict[int, Capacity],
    incidents: int,
    contract_title: str = "",
    operator: str = "",
) -> ReportContent:
    """The report of one version. `sites` maps subscription id → inventory names."""
    inputs, output = report.inputs, report.output
    c = inputs["contract"]
    zone = ZoneInfo(c["timezone"])
    subs_in = {s["id"]: s for s in inputs["subscriptions"]}
    subs = output["subscriptions"]
    primary = {s["id"] for s in inputs["subscriptions"] if s["role"] == "primary"}
    tickets = _tickets(inputs, output, sites, zone)
    gtr_rows = [
        t
        for t in tickets
        if t.gtr_guaranteed_s is not None and t.imputability not in NEVER_BREACHES
    ]
    breaches = sum(1 for t in gtr_rows if t.breach)
    to_date = Decimal(c["penalties_to_date_ht"])
    proposed = Decimal(output["total_ht"])
    cap = (Decimal(c["penalty_cap_contract_pct"]) * Decimal(c["amount_total_ht"]) / 100).quantize(
        Decimal("0.01")
    )
    sched = sum(s["scheduled_s"] for s in subs)
    unknown = sum(s["unknown_s"] for s in subs)
    summary = Summary(
        fleet_availability_pct=output["fleet_availability_pct"],
        subscriptions=len(subs),
        primary=len(primary),
        incidents=incidents,
        tickets=len(tickets),
        gtr_tickets=len(gtr_rows),
        gtr_breaches=breaches,
        gtr_compliance_pct=_pct(len(gtr_rows) - breaches, len(gtr_rows)),
        proposed_ht=proposed,
        penalties_to_date_ht=to_date,
        running_total_ht=to_date + proposed,
        cap_ht=cap,
        cap_used_pct=_pct(to_date + proposed, cap),
        cap_reached=output["contract_cap_reached"],
        exemption_threshold_ht=Decimal(c["exemption_threshold_ht"]),
        exemption_applies=output["exemption_applies"],
        coverage_pct=_pct(sched - unknown, sched),
        downtime_s=sum(s["downtime_s"] for s in subs),
        disputed_ht=sum((Decimal(s["disputed_ht"]) for s in subs), Decimal("0.00")),
        open_outages=output.get("open_outages", 0),
        unconfirmed_outages=output.get("unconfirmed_outages", 0),
        lines_ht=sum(
            (Decimal(p["amount_ht"]) for s in subs for p in s["penalties"]), Decimal("0.00")
        ),
        after_monthly_caps_ht=sum((Decimal(s["total_ht"]) for s in subs), Decimal("0.00")),
    )
    by_class: dict[str, Aggregate] = {}
    for s in subs:
        slug = subs_in[s["id"]]["service_class"]
        info = sites.get(s["id"])
        by_class.setdefault(slug, Aggregate(info.class_name if info else slug)).add(s)
    down_by_site: dict[str, int] = defaultdict(int)
    money_by_site: dict[str, Decimal] = defaultdict(Decimal)
    for s in subs:
        site = subs_in[s["id"]]["site"]
        down_by_site[site] += s["downtime_s"]
        money_by_site[site] += Decimal(s["total_ht"])
    names = {i.site_code: i.site_name for i in sites.values()}
    site_pct = output["site_availability_pct"]
    ranked = sorted(
        (site for site in site_pct if site_pct[site] is not None),
        key=lambda site: (Decimal(site_pct[site]), -down_by_site[site], site),
    )
    worst = [
        (site, names.get(site, ""), site_pct[site], down_by_site[site], money_by_site[site])
        for site in ranked[:WORST_SITES]
        if down_by_site[site] > 0
    ]
    return ReportContent(
        contract=c["reference"],
        contract_title=contract_title,
        operator=operator,
        period=inputs["month"],
        version=report.version,
        inputs_hash=report.inputs_hash,
        code_version=report.code_version,
        created=report.created or datetime.now(UTC),
        provisional=report.provisional,
        summary=summary,
        by_class=[by_class[k] for k in sorted(by_class)],
        worst_sites=worst,
        by_category=_group(
            subs,
            lambda s: sites[s["id"]].category if s["id"] in sites else "",
            lambda s: sites[s["id"]].category_label if s["id"] in sites else "—",
            primary,
        ),
        by_department=_group(
            subs,
            lambda s: sites[s["id"]].department if s["id"] in sites else "",
            lambda s: sites[s["id"]].department if s["id"] in sites else "—",
            primary,
        ),
        tickets=tickets,
        works=_works(inputs, zone),
        claims=_claims(inputs, output, sites, zone),
        capacity=_capacity(capacity, subs, sites),
        capacity_measured=len(capacity),
        penalties=penalties,
        adjustments=adjustments,
        quality=[say(n) for n in report.notes.get("quality", [])],
        engine_notes=[say(n) for n in report.notes.get("engine", [])],
        outages=[
            OutageRow(
                subscription=o["subscription"],
                site=sites[o["subscription"]].site_code if o["subscription"] in sites else "",
                start=local(o["start"], zone),
                end=local(o["end"], zone),
                state=o["state"],
            )
            for o in report.notes.get("outages", [])
        ],
        parameters={k: v for k, v in c.items() if k != "reference"},
        classes=inputs["service_classes"],
        holidays=_holidays(*map(int, inputs["month"].split("-"))),
        subscriptions=subs,
        sites=sites,
        class_names={
            s["service_class"]: sites[s["id"]].class_name
            for s in inputs["subscriptions"]
            if s["id"] in sites and sites[s["id"]].class_name
        },
    )
