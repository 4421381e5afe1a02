"""Bulk import and export of establishments, on a throwaway copy of the reference network.

Figures: exporting every establishment as CSV; importing 2,000 new establishments (their rows
copied from the export under new codes: real communes, tenants and tags); importing the same
file again (all unchanged); re-importing the whole export (all unchanged).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from bench.figures import Figure

P = ParamSpec("P")
T = TypeVar("T")
ROWS = 2000


def _renamed(export: str, rows: int) -> bytes:
    """The first `rows` rows of a CSV export, each under a new code: a file that creates them."""
    reader = csv.DictReader(io.StringIO(export))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(reader):
        if n == rows:
            break
        writer.writerow({**row, "code": f"BEN-{n:05d}"})
    return out.getvalue().encode()


def _timed(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from core.models import ObjectChange
        from inventory.exporters import export_model
        from inventory.importers import import_content

        export, export_s = _timed(export_model, "establishments", "csv")
        data = _renamed(export, ROWS)
        logged = ObjectChange.objects.count()
        created, create_s = _timed(import_content, data, "csv", model="establishments")
        if created.created != ROWS or ObjectChange.objects.count() != logged + ROWS:
            raise RuntimeError(f"expected {ROWS} created and logged, got {created.describe()}")
        again, again_s = _timed(import_content, data, "csv", model="establishments")
        if again.unchanged != ROWS:
            raise RuntimeError(f"expected {ROWS} unchanged, got {again.describe()}")
        whole, whole_s = _timed(import_content, export.encode(), "csv", model="establishments")
        if whole.created or whole.updated:
            raise RuntimeError(f"a re-imported export changed something: {whole.describe()}")
    return [
        Figure(f"export_csv_{whole.rows}_establishments", export_s, "s"),
        Figure(f"import_csv_{ROWS}_establishments_created", create_s, "s"),
        Figure(f"import_csv_{ROWS}_establishments_unchanged", again_s, "s"),
        Figure(f"import_csv_{whole.rows}_establishments_reimported_export", whole_s, "s"),
    ]
