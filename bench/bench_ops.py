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


def _fill_cycles() -> None:
    """30 days of one-minute cycles, as the poller records them."""
    from django.db import connection

    from metrics.cycles import CycleStats, record_cycle

    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=30)
    connection.ensure_connection()
    conn = connection.connection
    for i in range(CYCLES):
        stats = CycleStats(
            start + timedelta(minutes=i),
            60,
            20.0 + i % 40,
            2089,
            i % 3,
            i % 3,
            i % 3,
            20722,
            False,
            0,
        )
        record_cycle(conn, stats)
    conn.commit()


def run() -> list[Figure]:
    figures: list[Figure] = []
    with reference_database(), tempfile.TemporaryDirectory() as folder:
        from menhir.ops.backup import backup, restore  # Django is set up by now
        from metrics.models import PollCycle

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
        PollCycle.objects.all().delete()
        empty = _scrape_seconds()
        _fill_cycles()
        full = _scrape_seconds()
        figures.append(
            Figure(
                f"ops_metrics_scrape_{CYCLES}_cycles",
                full * 1000,
                "ms",
                reference=empty * 1000,
                reference_name="no cycle recorded",
            )
        )
    return figures
