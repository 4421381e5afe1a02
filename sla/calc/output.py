"""The output document of `menhir sla evaluate --json` (docs/sla.md), from an `EvaluationResult`."""

from __future__ import annotations

from typing import Any

from sla.calc.display import (
    decimal_ceiling,
    fraction_text,
    money_text,
    pct_truncated,
    rate_text,
)
from sla.calc.evaluator import EvaluationResult, SubscriptionResult, evaluate
from sla.calc.parser import parse_evaluation


def _subscription(r: SubscriptionResult) -> dict[str, Any]:
    a = r.availability
    return {
        "id": r.id,
        "scheduled_s": a.scheduled_s,
        "downtime_s": a.downtime_s,
        "excluded_s": a.excluded_s,
        "unknown_s": a.unknown_s,
        "required_s": a.required_s,
        "availability_pct": pct_truncated(a.exact),
        "availability_exact": fraction_text(a.exact),
        "observed_availability_pct": pct_truncated(a.observed),
        "coverage_pct": pct_truncated(a.coverage),
        "micro_outages": r.micro_outages,
        "tier_rate_pct": rate_text(r.tier_rate_pct),
        "tickets": [
            {
                "id": t.id,
                "gtr_s": t.gtr_s,
                "breach": t.breach,
                "started_hours": t.started_hours,
                "gti_s": t.gti_s,
            }
            for t in r.tickets
        ],
        "penalties": [
            {
                "type": p.type,
                **({"ticket": p.ticket} if p.ticket else {}),
                **({"kpi": p.kpi} if p.kpi else {}),
                "amount_ht": money_text(p.amount_ht),
            }
            for p in r.penalties
        ],
        "total_ht": money_text(r.total_ht),
        "disputed_ht": money_text(r.disputed_ht),
        "kpis": [
            {
                "kpi": k.kpi,
                "measured": decimal_ceiling(k.measured),
                "target": rate_text(k.target),
                "met": k.met,
                "coverage_pct": pct_truncated(k.coverage),
            }
            for k in r.kpis
        ],
    }


def to_document(result: EvaluationResult) -> dict[str, Any]:
    return {
        "subscriptions": [_subscription(r) for r in result.subscriptions],
        "open_outages": result.open_outages,
        "unconfirmed_outages": result.unconfirmed_outages,
        "fleet_availability_pct": pct_truncated(result.fleet_availability),
        "site_availability_pct": {
            site: pct_truncated(value) for site, value in result.site_availability.items()
        },
        "total_ht": money_text(result.totals.total_ht),
        "contract_cap_reached": result.totals.cap_reached,
        "exemption_applies": result.totals.exemption_applies,
    }


def evaluate_document(document: Any) -> dict[str, Any]:
    """Decoded evaluation file in, output document out (raises `EvaluationError`)."""
    return to_document(evaluate(parse_evaluation(document)))
