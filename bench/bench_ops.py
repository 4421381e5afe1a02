"""Operations: backup and restore of the reference network through the server's own pg_dump,
and the cost of a /metrics scrape over 30 days of recorded cycles.

    python -m bench ops
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.db import reference_database
from bench.figures import Figure

CYCLES = 30 * 24 * 60  # one cycle a minute for the 30 days the table keeps
SCRAPES = 5


def _scrape_seconds() -> float:
    from menhir.ops.exposition import render

    samples = []
    for _ in range(SCRAPES):
        began = time.perf_counter()
        render()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def _fill_cycles(shards: list[str]) -> None:
    from menhir.ops.models import CycleStat

    start = datetime.now(UTC) - timedelta(days=30)
    rows = [
        CycleStat(
            finished_at=start + timedelta(minutes=i),
            runner="bench:1",
            shard=shard,
            duration_s=20 + (i % 40),
            interval_s=60,
            devices=2089,
            devices_unreachable=i % 3,
            interfaces=20722,
            samples_written=20722,
            errors=i % 3,
        )
        for shard in shards
        for i in range(CYCLES)
    ]
    CycleStat.objects.bulk_create(rows, batch_size=5000)


def run() -> list[Figure]:
    figures: list[Figure] = []
    with reference_database(), tempfile.TemporaryDirectory() as folder:
        from menhir.ops.backup import backup, restore  # Django is set up by now
        from menhir.ops.models import CycleStat

        dump = Path(folder) / "menhir.dump"
        began = time.perf_counter()
        plan = backup(dump)
        backup_s = time.perf_counter() - began
        began = time.perf_counter()
        restore(dump)
        restore_s = time.perf_counter() - began
        figures += [
            Figure(f"ops_backup_reference_network_pg{plan.server_major}", backup_s, "s"),
            Figure("ops_backup_size", dump.stat().st_size / 1e6, "MB"),
            Figure("ops_restore_reference_network", restore_s, "s"),
        ]
        CycleStat.objects.all().delete()
        empty = _scrape_seconds()
        _fill_cycles(["", "poll.west", "poll.east"])
        full = _scrape_seconds()
        figures.append(
            Figure(
                f"ops_metrics_scrape_{3 * CYCLES}_cycles",
                full * 1000,
                "ms",
                reference=empty * 1000,
                reference_name="no cycle recorded",
            )
        )
    return figures
