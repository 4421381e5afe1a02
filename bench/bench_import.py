"""Import 2,000 establishments from CSV (create, then the same file again: all unchanged).

Runs in a throwaway database (`menhir_bench_import`) created and dropped around the run.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench.figures import Figure

ROWS = int(os.environ.get("BENCH_ROWS", "2000"))


def _csv(communes: list[str], tags: str) -> bytes:
    lines = ["code,name,category,commune,status,criticality,latitude,longitude,tags"]
    for n in range(ROWS):
        commune = communes[n % len(communes)]
        lines.append(
            f"BEN-{n:05d},Mairie {n},local_authority,{commune},active,normal,48.1,-3.2,{tags}"
        )
    return ("\n".join(lines) + "\n").encode()


def run() -> list[Figure]:
    from menhir.bootstrap import setup_django

    setup_django()
    from django.conf import settings
    from django.db import connection

    test_settings: dict[str, Any] = settings.DATABASES["default"]["TEST"]
    test_settings["NAME"] = "menhir_bench_import"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from core.models import ObjectChange, Tag
        from inventory.importers import import_content
        from inventory.models import Commune, Department

        dept = Department.objects.create(code="35", name="Ille-et-Vilaine")
        communes = [
            Commune.objects.create(
                insee=f"35{n:03d}", name=f"C{n}", department=dept, latitude=48, longitude=-1
            ).insee
            for n in range(200)
        ]
        Tag.objects.create(name="bench", slug="bench")
        data = _csv(communes, "bench")
        start = time.perf_counter()
        created = import_content(data, "csv", model="establishments")
        create_s = time.perf_counter() - start
        assert created.created == ROWS
        assert ObjectChange.objects.count() == ROWS
        start = time.perf_counter()
        again = import_content(data, "csv", model="establishments")
        unchanged_s = time.perf_counter() - start
        assert again.unchanged == ROWS
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return [
        Figure("import_2000_establishments_created", create_s, "s"),
        Figure("import_2000_establishments_unchanged", unchanged_s, "s"),
    ]
