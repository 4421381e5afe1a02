"""Importing an operator's CSV export of trouble tickets, on a throwaway copy of the reference
network: one ticket per access link of the operator with the most links (each with a suspension
and a reopening), then the same file again (all unchanged)."""

from __future__ import annotations

import io
import time

from bench.figures import Figure


def _export(circuits: list[str]) -> bytes:
    out = io.StringIO()
    out.write(
        "reference,circuit,opened_at,acknowledged_at,restored_at,imputability,suspensions,"
        "reopenings\n"
    )
    for n, circuit in enumerate(circuits):
        day = 1 + n % 28
        out.write(
            f"TT-{n:06d},{circuit},2026-03-{day:02d}T08:00:00+01:00,"
            f"2026-03-{day:02d}T08:30:00+01:00,2026-03-{day:02d}T12:00:00+01:00,operator,"
            f'"2026-03-{day:02d}T09:00:00+01:00/2026-03-{day:02d}T10:00:00+01:00",'
            f"2026-03-{day:02d}T14:00:00+01:00/2026-03-{day:02d}T15:00:00+01:00\n"
        )
    return out.getvalue().encode()


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from django.db.models import Count

        from alerting.importers import import_tickets
        from inventory.models import Link, Operator

        operator = Operator.objects.annotate(n=Count("links")).order_by("-n").first()
        assert operator is not None
        circuits = list(
            Link.objects.filter(operator=operator, establishment__isnull=False)
            .order_by("pk")
            .values_list("circuit_id", flat=True)
        )
        data = _export(circuits)
        start = time.perf_counter()
        created = import_tickets(data, operator)
        create_s = time.perf_counter() - start
        if created.created != len(circuits):
            raise RuntimeError(f"expected {len(circuits)} created, got {created.describe()}")
        start = time.perf_counter()
        again = import_tickets(data, operator)
        again_s = time.perf_counter() - start
        if again.unchanged != len(circuits):
            raise RuntimeError(f"expected all unchanged, got {again.describe()}")
    n = len(circuits)
    return [
        Figure(f"import_csv_{n}_tickets_created", create_s, "s"),
        Figure("import_csv_tickets_created_rate", n / create_s, "tickets/s"),
        Figure(f"import_csv_{n}_tickets_unchanged", again_s, "s"),
    ]
