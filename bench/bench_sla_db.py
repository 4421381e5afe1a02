"""The full monthly SLA evaluation of the reference network from the database: every
subscription of every contract, with its generated month of monitoring runs, tickets,
maintenance and claims (goal: under 30 s on this machine); then one report rendered as PDF."""

from __future__ import annotations

import time

from bench.figures import Figure

YEAR, MONTH = 2026, 10
GOAL_S = 30.0


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from datetime import UTC, datetime

        from inventory.models import Contract
        from simulation.sla_history import generate_history
        from sla.calc.evaluator import evaluate
        from sla.calc.parser import parse_evaluation
        from sla.inputs import build_inputs
        from sla.report.loader import load_content
        from sla.report.pdf import render_pdf
        from sla.report.tables import build_tables
        from sla.service import evaluate_month

        now = datetime(2026, 11, 15, tzinfo=UTC)
        began = time.perf_counter()
        summary = generate_history(YEAR, MONTH, seed=1)
        generated = time.perf_counter() - began
        contracts = list(Contract.objects.order_by("reference"))

        began = time.perf_counter()
        documents = [build_inputs(c, YEAR, MONTH, now=now).document for c in contracts]
        inputs_s = time.perf_counter() - began
        began = time.perf_counter()
        for document in documents:
            evaluate(parse_evaluation(document))
        engine_s = time.perf_counter() - began
        subscriptions = sum(len(d["subscriptions"]) for d in documents)

        began = time.perf_counter()
        reports = [evaluate_month(c, YEAR, MONTH, now=now).report for c in contracts]
        full_s = time.perf_counter() - began
        began = time.perf_counter()
        again = [evaluate_month(c, YEAR, MONTH, now=now) for c in contracts]
        unchanged_s = time.perf_counter() - began
        assert not any(e.created for e in again)  # same inputs: same versions

        largest = max(reports, key=lambda r: len(r.output["subscriptions"]))
        began = time.perf_counter()
        content = load_content(largest)
        pdf = render_pdf(content, build_tables(content, "fr"), "fr")
        pdf_s = time.perf_counter() - began
    return [
        Figure(
            "sla_db_full_month_evaluation",
            full_s,
            "s",
            reference=GOAL_S,
            reference_name="30 s goal",
        ),
        Figure("sla_db_subscriptions", subscriptions, "subscription-months"),
        Figure("sla_db_throughput", subscriptions / full_s, "subscription-months/s"),
        Figure("sla_db_build_inputs", inputs_s, "s"),
        Figure("sla_db_engine_only", engine_s, "s"),
        Figure("sla_db_reevaluate_unchanged", unchanged_s, "s"),
        Figure("sla_db_generated_runs", summary.runs, "monitoring runs"),
        Figure("sla_db_generated_tickets", summary.tickets, "tickets"),
        Figure("sla_db_generate_history", generated, "s"),
        Figure("sla_db_largest_report_pdf", pdf_s, "s"),
        Figure("sla_db_largest_report_pdf_size", len(pdf) / 1024, "KiB"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
