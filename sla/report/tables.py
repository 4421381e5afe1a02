"""The report as named tables (title, headers, rows of plain values): what the CSV, XLSX and PDF
renderers lay out, so the three formats always carry the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sla.report.content import ReportContent
from sla.report.labels import label

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def hours(seconds: int | None) -> Decimal | None:
    """Seconds as hours with 2 decimals (display only; the exact seconds are in the CSV)."""
    if seconds is None:
        return None
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"))


def minutes(seconds: int | None) -> Decimal | None:
    if seconds is None:
        return None
    return (Decimal(seconds) / 60).quantize(Decimal("0.1"))


def yes_no(value: bool, lang: str) -> str:
    return label("yes" if value else "no", lang)


def summary_rows(c: ReportContent, lang: str) -> list[list[Cell]]:
    s = c.summary
    t = lambda key: label(key, lang)  # noqa: E731
    return [
        [t("fleet_availability"), s.fleet_availability_pct],
        [t("subscriptions"), s.subscriptions],
        [t("incidents"), s.incidents],
        [t("tickets_count"), s.tickets],
        [t("gtr_compliance"), s.gtr_compliance_pct],
        [t("proposed_ht"), s.proposed_ht],
        [t("to_date_ht"), s.penalties_to_date_ht],
        [t("running_total"), s.running_total_ht],
        [t("cap"), s.cap_ht],
        [t("cap_used"), s.cap_used_pct],
        [t("cap_reached"), yes_no(s.cap_reached, lang)],
        [t("exemption"), s.exemption_threshold_ht],
        [t("exemption_applies"), yes_no(s.exemption_applies, lang)],
        [t("coverage"), s.coverage_pct],
        [t("disputed"), s.disputed_ht],
        [t("open_outages"), s.open_outages],
        [t("unconfirmed_outages"), s.unconfirmed_outages],
    ]


def _aggregates(key: str, first: str, groups: list[Any], lang: str) -> Table:
    t = lambda k: label(k, lang)  # noqa: E731
    return Table(
        key,
        t(key),
        [
            t(first),
            t("count"),
            t("availability"),
            t("downtime_h"),
            t("below_target"),
            t("amount_ht"),
        ],
        [
            [
                g.label,
                g.subscriptions,
                g.availability_pct,
                hours(g.downtime_s),
                g.below_target,
                g.penalties_ht,
            ]
            for g in groups
        ],
    )


def build_tables(c: ReportContent, lang: str = "en") -> list[Table]:
    t = lambda k: label(k, lang)  # noqa: E731
    status = lambda s: label(f"{s}_status", lang)  # noqa: E731
    kind = lambda k: label(f"{k}_type", lang)  # noqa: E731
    penalty_headers = [
        t("period"),
        t("subscription"),
        t("site"),
        t("type"),
        t("ticket"),
        t("computed_ht"),
        t("amount_ht"),
        t("status"),
        t("recomputed_ht"),
    ]

    def penalty(p: Any) -> list[Cell]:
        return [
            p.period,
            p.subscription,
            p.site,
            kind(p.type),
            p.ticket,
            p.computed_ht,
            p.amount_ht,
            status(p.status),
            p.recomputed_ht,
        ]

    return [
        Table("summary", t("summary"), [t("parameter"), t("value")], summary_rows(c, lang)),
        _aggregates("by_class", "class", c.by_class, lang),
        Table(
            "worst_sites",
            t("worst_sites"),
            [t("site"), t("name"), t("availability"), t("downtime_h"), t("amount_ht")],
            [
                [code, name, pct, hours(down), money]
                for code, name, pct, down, money in c.worst_sites
            ],
        ),
        _aggregates("by_category", "category", c.by_category, lang),
        _aggregates("by_department", "department", c.by_department, lang),
        Table(
            "tickets",
            t("tickets"),
            [
                t("ticket"),
                t("subscription"),
                t("site"),
                t("opened"),
                t("restored"),
                t("imputability"),
                t("gti_measured"),
                t("gti_guaranteed"),
                t("gtr_measured"),
                t("gtr_guaranteed"),
                t("breach"),
                t("started_hours"),
            ],
            [
                [
                    r.id,
                    r.subscription,
                    r.site,
                    r.opened_at,
                    r.restored_at,
                    r.imputability,
                    minutes(r.gti_s),
                    minutes(r.gti_guaranteed_s),
                    minutes(r.gtr_s),
                    minutes(r.gtr_guaranteed_s),
                    yes_no(r.breach, lang),
                    r.started_hours,
                ]
                for r in c.tickets
            ],
        ),
        Table(
            "works",
            t("works"),
            [
                t("reference"),
                t("planned_start"),
                t("planned_end"),
                t("notified"),
                t("notice_days"),
                t("required_days"),
                t("curative"),
                t("conforming"),
                t("subscriptions"),
                t("overrun_min"),
            ],
            [
                [
                    w.reference,
                    w.planned_start,
                    w.planned_end,
                    w.notified_at,
                    w.notice_days,
                    w.required_days,
                    yes_no(w.curative, lang),
                    yes_no(w.conforming, lang),
                    w.subscriptions,
                    w.overrun_min,
                ]
                for w in c.works
            ],
        ),
        Table(
            "claims",
            t("claims"),
            [
                t("subscription"),
                t("site"),
                t("start"),
                t("end"),
                t("type"),
                t("decision"),
                t("hours"),
                t("disputed_ht"),
            ],
            [
                [r.subscription, r.site, r.start, r.end, r.type, r.decision, r.hours, r.disputed_ht]
                for r in c.claims
            ],
        ),
        Table(
            "capacity",
            t("capacity"),
            [
                t("subscription"),
                t("site"),
                t("committed_down"),
                t("p95_down"),
                t("committed_up"),
                t("p95_up"),
                t("share_80"),
                t("episodes"),
                t("coverage"),
            ],
            [
                [
                    r.subscription,
                    r.site,
                    _mbps(r.committed_down_bps),
                    _mbps(r.p95_down_bps),
                    _mbps(r.committed_up_bps),
                    _mbps(r.p95_up_bps),
                    r.share_80_pct,
                    r.episodes,
                    r.coverage_pct,
                ]
                for r in c.capacity
            ],
        ),
        Table("penalties", t("penalties"), penalty_headers, [penalty(p) for p in c.penalties]),
        Table(
            "adjustments", t("adjustments"), penalty_headers, [penalty(p) for p in c.adjustments]
        ),
        Table(
            "outages",
            t("outages"),
            [t("subscription"), t("site"), t("start"), t("end"), t("state")],
            [
                [o.subscription, o.site, o.start, o.end, label(f"{o.state}_outage", lang)]
                for o in c.outages
            ],
        ),
        Table("quality", t("quality"), [t("value")], [[q] for q in c.quality + c.engine_notes]),
        Table(
            "subscriptions",
            t("subscriptions"),
            [
                "id",
                t("site"),
                "scheduled_s",
                "downtime_s",
                "excluded_s",
                "unknown_s",
                "required_s",
                "availability_pct",
                "availability_exact",
                "coverage_pct",
                "micro_outages",
                "tier_rate_pct",
                "total_ht",
                "disputed_ht",
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
                    s["availability_pct"],
                    s["availability_exact"],
                    s["coverage_pct"],
                    s["micro_outages"],
                    s["tier_rate_pct"],
                    s["total_ht"],
                    s["disputed_ht"],
                ]
                for s in c.subscriptions
            ],
        ),
        Table("annex", t("annex"), [t("parameter"), t("value")], annex_rows(c, lang)),
    ]


def _mbps(value: float | None) -> Decimal | None:
    """bit/s as Mbit/s with 2 decimals (display; the store keeps the exact rates)."""
    return None if value is None else (Decimal(value) / 1_000_000).quantize(Decimal("0.01"))


def annex_rows(c: ReportContent, lang: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [label("version", lang), c.version],
        [label("inputs_hash", lang), c.inputs_hash],
        [label("code_version", lang), c.code_version],
        [label("holidays", lang), ", ".join(c.holidays) or "—"],
    ]
    for key, value in c.parameters.items():
        rows.append([key, _text(value)])
    for slug, terms in c.classes.items():
        for key, value in terms.items():
            rows.append([f"{slug}.{key}", _text(value)])
    return rows


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join("/".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
    return "—" if value is None else str(value)
