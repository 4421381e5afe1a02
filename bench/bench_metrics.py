"""The store's two hot paths, on a private PostgreSQL (native partitions) and a private TimescaleDB:

- ingest: 20,000 interface samples per poll cycle (the reference network) through the COPY writer;
- read: one month of 5-minute data for one link (8,640 points) while the 5-minute table holds a
  month for every access link of the reference network (2,026 × 8,640 = 17.5 M rows, written
  bucket after bucket as the rollups write them), p95 over repeats. Filling it writes ~6 GB
  (heap, indexes, WAL): minutes on a slow disk.

MENHIR_BENCH_METRICS_CYCLES (default 10), MENHIR_BENCH_METRICS_LINKS (default 2026) and
MENHIR_BENCH_METRICS_QUERIES (default 200) scale it down for a quick look.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from bench.figures import Figure, median_and_p95
from common.times import month_bounds
from metrics import queries, schema
from metrics.types import InterfaceSample, OperStatus
from metrics.writer import MetricsWriter

INTERFACES = 20_000
DEVICES = 2_100
MONTH = (2026, 10)

FILL_5M_SQL = """
INSERT INTO metrics_interface_5m
SELECT b, i, i, 4e6 + (i * 7919 + extract(epoch FROM b)::bigint / 300 * 104729) %% 1000000,
       9e6, 8e6, 5, 1e6, 3e6, 2.5e6, 5, 0, 0, 0, 0, 300, 5
FROM generate_series(%(start)s::timestamptz, %(end)s::timestamptz - interval '5 minutes',
                     interval '5 minutes') AS b,
     generate_series(1, %(links)s) AS i
ORDER BY b, i
"""


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _cycle(when: datetime) -> list[InterfaceSample]:
    return [
        InterfaceSample(
            time=when,
            device_id=i % DEVICES,
            interface_id=i,
            interval_s=60.0,
            in_bps=float(i * 13 % 1_000_000),
            out_bps=float(i * 7 % 1_000_000),
            in_errors=0,
            out_errors=0,
            in_discards=0,
            out_discards=0,
            oper_status=OperStatus.UP,
            admin_up=True,
            speed_bps=100_000_000,
        )
        for i in range(1, INTERFACES + 1)
    ]


def _ingest(conninfo: str, label: str) -> Figure:
    cycles = _env_int("MENHIR_BENCH_METRICS_CYCLES", 10)
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=cycles + 1)
    batches = [_cycle(start + timedelta(minutes=n)) for n in range(cycles)]
    with tempfile.TemporaryDirectory() as spool, MetricsWriter(conninfo, Path(spool)) as writer:
        writer.write(_cycle(start - timedelta(minutes=5)))  # connection, temp tables, partitions
        began = time.perf_counter()
        rows = sum(writer.write(batch).inserted for batch in batches)
        elapsed = time.perf_counter() - began
    assert rows == cycles * INTERFACES, f"{rows} rows written"
    return Figure(f"metrics_ingest_copy_{label}", rows / elapsed, "rows/s")


def _read_month(conninfo: str, label: str) -> list[Figure]:
    links = _env_int("MENHIR_BENCH_METRICS_LINKS", 2026)
    repeats = _env_int("MENHIR_BENCH_METRICS_QUERIES", 200)
    start, end = month_bounds(*MONTH, queries.CONTRACT_TZ)
    # The month's first 30 days: 8,640 five-minute points.
    end = start + timedelta(days=30)
    with psycopg.connect(conninfo, options="-c TimeZone=UTC") as conn:
        if not schema.timescaledb_installed(conn):
            schema.ensure_partitions(conn, schema.ROLLUP_5M, start, end)
        conn.execute(FILL_5M_SQL, {"links": links, "start": start, "end": end})
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE metrics_interface_5m")  # what autovacuum does in production
        conn.autocommit = False
        timings: list[float] = []
        for n in range(repeats):
            interface_id = 1 + (n * 977) % links
            began = time.perf_counter()
            series = queries.interface_series(conn, interface_id, start, end, resolution="5m")
            timings.append(time.perf_counter() - began)
            assert len(series.points) == 8640, len(series.points)
    median, p95 = median_and_p95(timings)
    return [
        Figure(f"metrics_month_5m_read_p95_{label}", p95 * 1000, "ms"),
        Figure(f"metrics_month_5m_read_median_{label}", median * 1000, "ms"),
        Figure(f"metrics_5m_rows_in_table_{label}", links * 8640, "rows"),
    ]


def _bench(conninfo: str, label: str) -> list[Figure]:
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS bench_metrics")
        admin.execute("CREATE DATABASE bench_metrics")
    url = psycopg.conninfo.make_conninfo(conninfo, dbname="bench_metrics")
    with psycopg.connect(url) as conn:
        backend = schema.create_schema(conn)
        conn.commit()
    assert backend.value == label, f"expected {label}, got {backend}"
    return [_ingest(url, label), *_read_month(url, label)]


def run() -> list[Figure]:
    from tests.metrics.servers import EmbeddedServer, TimescaleServer

    figures: list[Figure] = []
    plain = EmbeddedServer("bench")
    try:
        plain.init()
        plain.start()
        figures += _bench(plain.admin_conninfo, "partitions")
    finally:
        plain.destroy()
    tsdb = TimescaleServer()
    try:
        tsdb.start()
        figures += _bench(tsdb.conninfo, "timescaledb")
    finally:
        tsdb.destroy()
    return figures
