"""Evaluating a contract-month: build the inputs, find or create the report version, store the
per-subscription results and keep the penalty lines in step (the SLA's side effects live here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from common.changes import change_context
from common.times import from_seconds
from inventory.models import Contract
from sla.calc.evaluator import EvaluationResult, evaluate
from sla.calc.output import to_document
from sla.calc.parser import parse_evaluation
from sla.inputs import Inputs, TicketSource, build_inputs
from sla.models import MonthlyResult, Penalty, PenaltyStatus, PenaltyType, Report
from sla.times import iso

ENGINE = "sla.calc 1"


def code_version() -> str:
    try:
        menhir = version("menhir")
    except PackageNotFoundError:  # running from a source tree without installing
        menhir = "source"
    return f"menhir {menhir}, {ENGINE}"


@dataclass(frozen=True)
class Evaluated:
    report: Report
    created: bool  # False: the same inputs had already been evaluated (same version)


def evaluate_month(
    contract: Contract,
    year: int,
    month: int,
    *,
    user: Any = None,
    tickets: TicketSource | None = None,
    now: datetime | None = None,
) -> Evaluated:
    """Evaluate the month from the database; reuse the version whose inputs hash matches."""
    inputs = build_inputs(contract, year, month, tickets=tickets, now=now)
    digest = inputs.hash
    found = Report.objects.filter(
        contract=contract, year=year, month=month, inputs_hash=digest
    ).first()
    if found is not None:
        return Evaluated(found, False)
    result = evaluate(parse_evaluation(inputs.document))
    provisional = result.provisional
    output = to_document(result)
    notes: dict[str, list[Any]] = {
        "engine": [n for r in result.subscriptions for n in r.notes],
        "quality": inputs.quality,
        "outages": end_of_input_outages(result),
    }
    try:
        with transaction.atomic():
            report = _store(contract, year, month, inputs, digest, output, notes, user, provisional)
    except IntegrityError:  # a concurrent run stored the same inputs first
        found = Report.objects.filter(
            contract=contract, year=year, month=month, inputs_hash=digest
        ).first()
        if found is None:
            raise
        return Evaluated(found, False)
    return Evaluated(report, True)


def _store(
    contract: Contract,
    year: int,
    month: int,
    inputs: Inputs,
    digest: str,
    output: dict[str, Any],
    notes: dict[str, list[Any]],
    user: Any,
    provisional: bool,
) -> Report:
    last = Report.objects.filter(contract=contract, year=year, month=month).aggregate(
        v=Max("version")
    )["v"]
    report = Report.objects.create(
        contract=contract,
        year=year,
        month=month,
        version=(last or 0) + 1,
        inputs_hash=digest,
        inputs=inputs.document,
        output=output,
        notes=notes,
        code_version=code_version(),
        provisional=provisional,
        created_by=user if getattr(user, "pk", None) else None,
    )
    MonthlyResult.objects.bulk_create(
        _result(report, inputs.link_ids[s["id"]], s) for s in output["subscriptions"]
    )
    with change_context(user=user, source="sla-evaluation"):
        sync_penalties(
            report, inputs.link_ids, output["subscriptions"], Decimal(output["total_ht"])
        )
    return report


def end_of_input_outages(result: EvaluationResult) -> list[dict[str, Any]]:
    """The outages the input ended in (docs/sla.md, "The end of the input"): each open or
    unconfirmed outage of the month, for the report's evidence."""
    return [
        {
            "subscription": r.id,
            "start": iso(from_seconds(o.start)),
            "end": iso(from_seconds(o.end)),
            "state": "open" if o.open else "unconfirmed",
        }
        for r in result.subscriptions
        for o in r.outages
        if o.open or o.unconfirmed
    ]


def _result(report: Report, link_id: int, s: dict[str, Any]) -> MonthlyResult:
    return MonthlyResult(
        report=report,
        link_id=link_id,
        scheduled_s=s["scheduled_s"],
        downtime_s=s["downtime_s"],
        excluded_s=s["excluded_s"],
        unknown_s=s["unknown_s"],
        required_s=s["required_s"],
        availability_pct=s["availability_pct"],
        availability_exact=s["availability_exact"],
        coverage_pct=s["coverage_pct"],
        micro_outages=s["micro_outages"],
        tier_rate_pct=None if s["tier_rate_pct"] is None else Decimal(s["tier_rate_pct"]),
        total_ht=Decimal(s["total_ht"]),
        disputed_ht=Decimal(s["disputed_ht"]),
    )


LineKey = tuple[int | None, str, str]  # link pk (None: the whole month), type, ticket


def penalty_lines(
    link_ids: dict[str, int], subs: Iterable[dict[str, Any]], file_total: Decimal | None = None
) -> dict[LineKey, Decimal]:
    """The engine's lines per subscription, plus a negative `monthly_cap` line where the
    subscription's total was capped, and a negative `contract_cap` line (no link) where the
    contract cap clipped the month: the lines add up to what is owed."""
    lines: dict[LineKey, Decimal] = {}
    owed = Decimal("0")
    for s in subs:
        link = link_ids[s["id"]]
        total = Decimal("0")
        for p in s["penalties"]:
            amount = Decimal(p["amount_ht"])
            kind = f"kpi_{p['kpi']}" if p["type"] == "kpi" else p["type"]  # PenaltyType.KPI_*
            lines[(link, kind, p.get("ticket", ""))] = amount
            total += amount
        capped = Decimal(s["total_ht"])
        owed += capped
        if capped < total:
            lines[(link, PenaltyType.MONTHLY_CAP, "")] = capped - total
    if file_total is not None and file_total < owed:
        lines[(None, PenaltyType.CONTRACT_CAP, "")] = file_total - owed
    return lines


def sync_penalties(
    report: Report,
    link_ids: dict[str, int],
    subs: Iterable[dict[str, Any]],
    file_total: Decimal | None = None,
) -> None:
    """Bring the month's penalty lines in step with `report`. Lines still `computed` follow the
    new figures (and disappear when the engine no longer finds them); lines already proposed
    or further keep their amount and record the new figure as `recomputed_ht` (an adjustment
    shown in later reports, R14)."""
    lines = penalty_lines(link_ids, subs, file_total)
    existing = {
        (p.link_id, p.type, p.ticket): p
        for p in Penalty.objects.filter(
            contract=report.contract, year=report.year, month=report.month
        )
    }
    for key, penalty in existing.items():
        new = lines.get(key)
        if penalty.status == PenaltyStatus.COMPUTED:
            if new is None:
                penalty.delete()
            elif new != penalty.computed_ht or penalty.report_id != report.pk:
                penalty.computed_ht = penalty.amount_ht = new
                penalty.report = report
                penalty.save()
            continue
        figure = Decimal("0.00") if new is None else new
        recomputed = None if figure == penalty.computed_ht else figure
        if recomputed != penalty.recomputed_ht:
            penalty.recomputed_ht = recomputed
            penalty.save()
    for key, amount in lines.items():
        if key not in existing:
            link, kind, ticket = key
            Penalty.objects.create(
                contract=report.contract,
                year=report.year,
                month=report.month,
                link_id=link,
                type=kind,
                ticket=ticket,
                report=report,
                computed_ht=amount,
                amount_ht=amount,
            )
