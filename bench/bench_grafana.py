"""A year of one establishment in Grafana: the establishment dashboard's throughput panel, its
SQL expanded as Grafana sends it for "last 365 days" (interval 12 h), on the reference network
with a year of 5-minute, hourly and daily rollups for the site's access links and
MENHIR_BENCH_GRAFANA_LINKS (default 50) other links. p95 over MENHIR_BENCH_GRAFANA_QUERIES
(default 50) runs, against the reference: the same panel reading the 5-minute rollup for the
whole year (what a dashboard without resolution choice would do).
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench.db import reference_database
from bench.figures import Figure, median_and_p95
from dashboards.grafana.boards import establishment
from dashboards.grafana.macros import QueryContext, expand
from dashboards.grafana.resolution import LEVELS, level_expression
from dashboards.grafana.sdk import raw_sql
from metrics import schema

FILL_SQL = """
INSERT INTO {table}
SELECT b, i.id, 0, 4e6 + (i.id * 7919 + extract(epoch FROM b)::bigint / 300) %% 1000000,
       9e6, 8e6, 5, 1e6, 3e6, 2.5e6, 5, 0, 0, 0, 0, {seconds}, 5
FROM generate_series(%(start)s::timestamptz, %(end)s::timestamptz, %(step)s::interval) AS b,
     unnest(%(interfaces)s::bigint[]) AS i(id)
ORDER BY b, i.id
"""


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _fill(
    conn: psycopg.Connection[Any], interfaces: list[int], start: datetime, end: datetime
) -> None:
    for level in LEVELS[1:]:
        table = schema.ROLLUP_TABLES[level.name]
        schema.ensure_partitions(conn, table, start, end)
        step = timedelta(milliseconds=level.step_ms)
        conn.execute(
            FILL_SQL.format(table=level.table, seconds=step.total_seconds()),
            {"start": start, "end": end - step, "step": step, "interfaces": interfaces},
        )
    conn.execute("VACUUM ANALYZE metrics_interface_5m")
    conn.execute("VACUUM ANALYZE metrics_interface_1h")
    conn.execute("VACUUM ANALYZE metrics_interface_1d")


def _p95(conn: psycopg.Connection[Any], sql: str, repeats: int) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(repeats):
        began = time.perf_counter()
        rows = len(conn.execute(sql).fetchall())
        samples.append((time.perf_counter() - began) * 1000)
    return median_and_p95(samples)[1], rows


def run() -> list[Figure]:
    links = _env_int("MENHIR_BENCH_GRAFANA_LINKS", 50)
    repeats = _env_int("MENHIR_BENCH_GRAFANA_QUERIES", 50)
    with reference_database():
        from django.db import connection

        from metrics.maintenance import conninfo_for

        conninfo = conninfo_for(connection.settings_dict)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            site, *_ = conn.execute(
                "SELECT establishment_id FROM inventory_link WHERE role = 'primary'"
                " AND a_interface_id IS NOT NULL ORDER BY id LIMIT 1"
            ).fetchone() or (None,)
            interfaces = [
                row[0]
                for row in conn.execute(
                    "(SELECT a_interface_id FROM inventory_link WHERE establishment_id = %s"
                    "  AND a_interface_id IS NOT NULL)"
                    " UNION (SELECT a_interface_id FROM inventory_link"
                    "  WHERE a_interface_id IS NOT NULL ORDER BY id DESC LIMIT %s)",
                    (site, links),
                ).fetchall()
            ]
            end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
            start = end - timedelta(days=365)
            _fill(conn, interfaces, start, end)
            ctx = QueryContext(start, end, timedelta(hours=12), {"establishment": site})
            panel = raw_sql(establishment.throughput())
            chosen = expand(panel, ctx)
            naive = expand(panel.replace(level_expression(), "1"), ctx)
            p95, points = _p95(conn, chosen, repeats)
            p95_naive, naive_points = _p95(conn, naive, repeats)
    return [
        Figure(
            f"grafana: establishment throughput, 1 year, daily rollup ({points} points), p95",
            p95,
            "ms",
            p95_naive,
            f"5-minute rollup for the year ({naive_points} points)",
        )
    ]
