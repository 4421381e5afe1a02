"""The report's quality section (R15): per subscription with KPI targets, each KPI measured
against its target, whether it was met, the probe coverage and the `kpi` penalty line, with the
reason a KPI has no figure (coverage under the class's minimum, or no probe answered)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

NA_COVERAGE = "coverage"  # every KPI of the month N/A: probe coverage under the minimum
NO_ANSWER = "no_answer"  # measured over enough slots, but nothing to measure (no reply)


@dataclass(frozen=True)
class KpiRow:
    subscription: str
    site: str
    kpi: str  # rtt_ms | loss_pct | jitter_ms
    measured: str | None
    target: str
    met: bool | None
    coverage_pct: str | None
    min_coverage_pct: str
    penalty_ht: Decimal | None  # the `kpi` line of this KPI (before the monthly cap)
    reason: str = ""  # NA_COVERAGE | NO_ANSWER | ""


def _covered(measurements: dict[str, Any], minimum: str) -> bool:
    slots = measurements["slots"]
    return bool(slots) and Fraction(measurements["probed_slots"], slots) * 100 >= Fraction(
        Decimal(minimum)
    )


def kpi_rows(
    inputs: dict[str, Any], output: dict[str, Any], site_of: dict[str, str]
) -> list[KpiRow]:
    """One row per subscription and KPI of its class, in the file's order."""
    subs_in = {s["id"]: s for s in inputs["subscriptions"]}
    rows = []
    for s in output["subscriptions"]:
        if not s.get("kpis"):
            continue
        sub = subs_in[s["id"]]
        targets = inputs["service_classes"][sub["service_class"]]["kpis"]
        covered = _covered(sub["kpi_measurements"], targets["min_coverage_pct"])
        lines = {p["kpi"]: Decimal(p["amount_ht"]) for p in s["penalties"] if p["type"] == "kpi"}
        for k in s["kpis"]:
            reason = "" if k["measured"] is not None else NA_COVERAGE if not covered else NO_ANSWER
            rows.append(
                KpiRow(
                    subscription=s["id"],
                    site=site_of.get(s["id"], ""),
                    kpi=k["kpi"],
                    measured=k["measured"],
                    target=k["target"],
                    met=k["met"],
                    coverage_pct=k["coverage_pct"],
                    min_coverage_pct=targets["min_coverage_pct"],
                    penalty_ht=lines.get(k["kpi"]),
                    reason=reason,
                )
            )
    return rows
