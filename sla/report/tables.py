"""The report as named tables (title, headers, rows of typed values): what the page, PDF, CSV and
XLSX renderers lay out, so the four formats always carry the same figures.

Titles, headers and words are translated when the tables are built (`build_tables(content,
lang)` runs under `translation.override`); figures stay typed (`common.quantities`: amounts,
percentages, rates, durations; datetimes in the contract's zone) and each renderer writes them
in its reader's locale. No internal code reaches a reader: enumerations show their labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alerting.models import Imputability
from common.quantities import (
    Duration,
    Quantity,
    amount,
    days,
    mbps,
    milliseconds,
    moment,
    number,
    percent,
    text,
)
from sla.models import ClaimDecision, ClaimType, PenaltyStatus, PenaltyType
from sla.report.content import ReportContent
from sla.report.kpis import NA_COVERAGE, NO_ANSWER, KpiRow
from sla.report.parameters import decimals, parameter_name, parameter_value

Cell = str | int | Decimal | Quantity | Duration | datetime | date | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]

    @property
    def shown(self) -> list[list[tuple[str, bool]]]:
        """The rows as the page shows them, in the active language: each cell's text, and
        whether it is a figure (aligned right)."""
        figure = (int, Decimal, Quantity, Duration)
        return [[(text(v), isinstance(v, figure)) for v in row] for row in self.rows]


def duration(seconds: int | None) -> Duration | None:
    return None if seconds is None else Duration(seconds)


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def label(choices: Any, code: str | None) -> str:
    """An enumeration's label in the active language; a code it does not know stays as it is."""
    if code is None:
        return "—"
    try:
        return str(choices(code).label)
    except ValueError:
        return code


# The engine's claim decisions (sla.inputs.DECISIONS) as the syndicate's decisions.
CLAIM_DECISIONS = {"proposed": ClaimDecision.PENDING, "accepted": ClaimDecision.ACCEPTED}


def claim_decision(code: str) -> str:
    decision = CLAIM_DECISIONS.get(code)
    return code if decision is None else str(decision.label)


def claim_effect(r: Any) -> str:
    """What a claim did to the figures (R7), beside them: an accepted claim that changed
    nothing says why."""
    if r.effect == "excluded":
        return _("accepted: covers %(duration)s of downtime in the service schedule (excluded)") % {
            "duration": Duration(r.effect_s)
        }
    if r.effect == "outside_schedule":
        return _("accepted, no effect: it lies outside the service schedule, where nothing counts")
    if r.effect == "no_downtime":
        return _("accepted, no effect: no downtime was recorded during it")
    return _("pending: nothing is excluded until the claim is accepted")


def works_effect(w: Any) -> str:
    """What planned works did to the figures (R7), beside them."""
    if w.curative:
        said = _("curative works: their window excludes nothing")
    elif not w.conforming:
        said = _("notified too late (%(notice)s, %(required)s required): excludes nothing") % {
            "notice": days(w.notice_days, 1),
            "required": days(w.required_days),
        }
    else:
        said = _("conforming: the downtime inside the planned window is excluded")
    if w.overrun_min:
        said += _("; the %(overrun)s past the planned end count as downtime") % {
            "overrun": Duration(w.overrun_min * 60)
        }
    return said


def outage_state(code: str) -> str:
    if code == "open":
        return _("open: runs to the end of the period")
    if code == "unconfirmed":
        return _("ended, recovery not yet confirmed")
    return code


def summary_rows(c: ReportContent) -> list[list[Cell]]:
    s = c.summary
    return [
        [_("Fleet availability (primary links)"), percent(s.fleet_availability_pct)],
        [_("Subscriptions"), s.subscriptions],
        [_("Incidents (alerting)"), s.incidents],
        [_("Tickets closed in the month"), s.tickets],
        [_("GTR compliance"), percent(s.gtr_compliance_pct)],
        [_("Report"), _("provisional (R13)") if c.provisional else _("final (R13)")],
        [_("Penalty lines, before the caps"), amount(s.lines_ht)],
        [_("Taken off by the monthly caps"), amount(s.lines_ht - s.after_monthly_caps_ht)],
        [_("Taken off by the contract cap"), amount(s.after_monthly_caps_ht - s.proposed_ht)],
        [_("Proposed penalties"), amount(s.proposed_ht)],
        [_("Penalties before this month"), amount(s.penalties_to_date_ht)],
        [_("Running total"), amount(s.running_total_ht)],
        [
            _("Contract cap: %(pct)s %% of the amount")
            % {"pct": number(Decimal(c.parameters.get("penalty_cap_contract_pct", "10")))},
            amount(s.cap_ht),
        ],
        [_("Share of the cap used"), percent(s.cap_used_pct)],
        [_("Contract cap reached"), yes_no(s.cap_reached)],
        [_("Exemption threshold"), amount(s.exemption_threshold_ht)],
        [
            _("Under the exemption threshold so far (the buyer decides at the contract's end)"),
            yes_no(s.exemption_applies),
        ],
        [_("Monitoring coverage"), percent(s.coverage_pct)],
        [_("At stake in pending claims"), amount(s.disputed_ht)],
        [_("Outages still open"), s.open_outages],
        [_("Outages whose recovery is not yet confirmed"), s.unconfirmed_outages],
    ]


def _aggregates(key: str, title: str, first: str, groups: list[Any]) -> Table:
    return Table(
        key,
        title,
        [first, _("Count"), _("Availability"), _("Downtime"), _("Below target"), _("Penalties")],
        [
            [
                str(g.label),
                g.subscriptions,
                percent(g.availability_pct),
                duration(g.downtime_s),
                g.below_target,
                amount(g.penalties_ht),
            ]
            for g in groups
        ],
    )


def build_tables(c: ReportContent, lang: str | None = None) -> list[Table]:
    """Every table of the report in `lang` (default: the active language)."""
    with translation.override(lang or translation.get_language()):
        return _tables(c)


def _penalty_headers() -> list[str]:
    return [
        _("Month"),
        _("Subscription"),
        _("Site"),
        _("Type"),
        _("Ticket"),
        _("Computed"),
        pgettext("penalty", "Amount"),
        _("Status"),
        _("Recomputed"),
    ]


def _penalty(p: Any) -> list[Cell]:
    return [
        p.period,
        p.subscription,
        p.site,
        label(PenaltyType, p.type),
        p.ticket,
        amount(p.computed_ht),
        amount(p.amount_ht),
        label(PenaltyStatus, p.status),
        None if p.recomputed_ht is None else amount(p.recomputed_ht),
    ]


def kpi_name(kpi: str) -> str:
    """An R15 KPI as a reader names it."""
    names = {
        "rtt_ms": pgettext("kpi", "latency (p95)"),
        "loss_pct": pgettext("kpi", "loss"),
        "jitter_ms": pgettext("kpi", "jitter"),
    }
    return names.get(kpi, kpi)


def _kpi_figure(kpi: str, value: str | None) -> Quantity | None:
    if value is None:
        return None
    if kpi == "loss_pct":
        return percent(value, places=decimals(value))
    return milliseconds(value, places=decimals(value))


def _kpi_explained(r: KpiRow) -> str:
    if r.reason == NA_COVERAGE:
        return _("N/A: probe coverage %(coverage)s under the %(minimum)s minimum") % {
            "coverage": text(percent(r.coverage_pct)),
            "minimum": text(percent(r.min_coverage_pct, places=decimals(r.min_coverage_pct))),
        }
    if r.reason == NO_ANSWER:
        return _("not measurable: no probe answered")
    if r.met is False:
        return _("missed: measured above the target")
    return _("met: measured at or under the target")


def _kpi_table(c: ReportContent) -> Table:
    return Table(
        "service_quality",
        _("Quality of service"),
        [
            _("Subscription"),
            _("Site"),
            _("Indicator"),
            _("Measured"),
            _("Target"),
            _("Met"),
            _("Probe coverage"),
            _("Minimum coverage"),
            _("Penalty"),
            _("Explanation"),
        ],
        [
            [
                r.subscription,
                r.site,
                kpi_name(r.kpi),
                _kpi_figure(r.kpi, r.measured),
                _kpi_figure(r.kpi, r.target),
                None if r.met is None else yes_no(r.met),
                percent(r.coverage_pct),
                percent(r.min_coverage_pct, places=decimals(r.min_coverage_pct)),
                None if r.penalty_ht is None else amount(r.penalty_ht),
                _kpi_explained(r),
            ]
            for r in c.kpis
        ],
    )


def _tables(c: ReportContent) -> list[Table]:
    return [
        Table(
            "summary", pgettext("report", "Summary"), [_("Parameter"), _("Value")], summary_rows(c)
        ),
        _aggregates("by_class", _("Results by service class"), _("Class"), c.by_class),
        Table(
            "worst_sites",
            _("Worst sites"),
            [_("Site"), _("Name"), _("Availability"), _("Downtime"), _("Penalties")],
            [
                [code, name, percent(pct), duration(down), amount(money)]
                for code, name, pct, down, money in c.worst_sites
            ],
        ),
        _aggregates("by_category", _("By category"), _("Category"), c.by_category),
        _aggregates("by_department", _("By department"), _("Department"), c.by_department),
        _tickets_table(c),
        _works_table(c),
        _claims_table(c),
        _capacity_table(c),
        _kpi_table(c),
        Table(
            "penalties",
            _("Proposed penalties, line by line"),
            _penalty_headers(),
            [_penalty(p) for p in c.penalties],
        ),
        Table(
            "adjustments",
            _("Adjustments from earlier months"),
            _penalty_headers(),
            [_penalty(p) for p in c.adjustments],
        ),
        Table(
            "outages",
            _("Outages at the end of the monitoring"),
            [_("Subscription"), _("Site"), _("Start"), _("End"), _("State")],
            [[o.subscription, o.site, o.start, o.end, outage_state(o.state)] for o in c.outages],
        ),
        Table(
            "quality", _("Data quality"), [_("Finding")], [[q] for q in c.quality + c.engine_notes]
        ),
        _subscriptions_table(c),
        Table("annex", _("Method annex"), [_("Parameter"), _("Value")], annex_rows(c)),
    ]


def _tickets_table(c: ReportContent) -> Table:
    return Table(
        "tickets",
        _("Incidents: GTI and GTR"),
        [
            _("Ticket"),
            _("Subscription"),
            _("Site"),
            _("Opened"),
            _("Restored"),
            _("Imputability"),
            _("GTI measured"),
            _("GTI guaranteed"),
            _("GTR measured"),
            _("GTR guaranteed"),
            _("Breach"),
            _("Started hours over"),
        ],
        [
            [
                r.id,
                r.subscription,
                r.site,
                r.opened_at,
                r.restored_at,
                label(Imputability, r.imputability),
                duration(r.gti_s),
                duration(r.gti_guaranteed_s),
                duration(r.gtr_s),
                duration(r.gtr_guaranteed_s),
                yes_no(r.breach),
                r.started_hours,
            ]
            for r in c.tickets
        ],
    )


def _works_table(c: ReportContent) -> Table:
    return Table(
        "works",
        _("Planned works"),
        [
            _("Reference"),
            _("Planned start"),
            _("Planned end"),
            _("Notified"),
            _("Notice"),
            _("Notice required"),
            _("Curative"),
            _("Conforming"),
            _("Subscriptions"),
            _("Overrun past the end"),
            _("Effect"),
        ],
        [
            [
                w.reference,
                w.planned_start,
                w.planned_end,
                w.notified_at,
                days(w.notice_days, 1),
                days(w.required_days),
                yes_no(w.curative),
                yes_no(w.conforming),
                w.subscriptions,
                Duration(w.overrun_min * 60),
                works_effect(w),
            ]
            for w in c.works
        ],
    )


def _claims_table(c: ReportContent) -> Table:
    return Table(
        "claims",
        _("Exclusion claims"),
        [
            _("Subscription"),
            _("Site"),
            _("Start"),
            _("End"),
            _("Type"),
            _("Decision"),
            _("Duration"),
            _("At stake"),
            _("Effect"),
        ],
        [
            [
                r.subscription,
                r.site,
                r.start,
                r.end,
                label(ClaimType, r.type),
                claim_decision(r.decision),
                Duration(int(r.hours * 3600)),
                amount(r.disputed_ht),
                claim_effect(r),
            ]
            for r in c.claims
        ],
    )


def _capacity_table(c: ReportContent) -> Table:
    return Table(
        "capacity",
        _("Capacity (committed rate)"),
        [
            _("Subscription"),
            _("Site"),
            _("Committed rate, down"),
            _("p95, down"),
            _("Committed rate, up"),
            _("p95, up"),
            _("Time at ≥ 80 % of the committed rate"),
            _("Saturation episodes"),
            _("Monitoring coverage"),
        ],
        [
            [
                r.subscription,
                r.site,
                mbps(r.committed_down_bps),
                mbps(r.p95_down_bps),
                mbps(r.committed_up_bps),
                mbps(r.p95_up_bps),
                percent(r.share_80_pct),
                r.episodes,
                percent(r.coverage_pct),
            ]
            for r in c.capacity
        ],
    )


def _subscriptions_table(c: ReportContent) -> Table:
    return Table(
        "subscriptions",
        _("Subscriptions"),
        [
            _("Subscription"),
            _("Site"),
            _("Scheduled time (s)"),
            _("Downtime (s)"),
            _("Excluded time (s)"),
            _("Unknown time (s)"),
            _("Required time (s)"),
            _("Availability"),
            _("Availability, exact value"),
            _("Monitoring coverage"),
            _("Micro-outages"),
            _("Penalty tier"),
            _("Penalties"),
            _("At stake"),
        ],
        [
            [
                s["id"],
                c.sites[s["id"]].site_code if s["id"] in c.sites else "",
                s["scheduled_s"],
                s["downtime_s"],
                s["excluded_s"],
                s["unknown_s"],
                s["required_s"],
                percent(s["availability_pct"]),
                s["availability_exact"],
                percent(s["coverage_pct"]),
                s["micro_outages"],
                percent(s["tier_rate_pct"], places=decimals(s["tier_rate_pct"] or "")),
                amount(s["total_ht"]),
                amount(s["disputed_ht"]),
            ]
            for s in c.subscriptions
        ],
    )


def annex_rows(c: ReportContent) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [_("Version"), c.version],
        [_("Inputs hash (SHA-256)"), c.inputs_hash],
        [_("Code version"), c.code_version],
        [_("Public holidays in the month"), ", ".join(map(moment, c.holidays)) or "—"],
    ]
    for key, value in c.parameters.items():
        rows.append([parameter_name(key), parameter_value(key, value)])
    for slug, terms in c.classes.items():
        for key, value in terms.items():
            name = c.class_names.get(slug, slug)
            rows.append([f"{name} · {parameter_name(key)}", parameter_value(key, value)])
    return rows


def method_text() -> str:
    """The method annex's paragraph, in the active language."""
    return _(
        "Figures computed by Menhir's SLA engine from the evaluation file stored with this "
        "version (rules R1–R14 of the contract's service-level annex; docs/sla.md). Availability "
        "is (required time − downtime) / required time, unknown time presumed available; "
        "percentages are truncated to 3 decimals, never rounded up; money is rounded half-up "
        "to the cent, line by line, then the monthly cap and the contract cap (10 %) apply."
    )
