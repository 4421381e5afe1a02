"""Capacity against the committed rate from the metrics store's 5-minute rollups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from metrics.queries import monthly_p95
from metrics.schema import ROLLUP_5M, ensure_partitions
from sla.capacity import CapacityLink, episodes, monthly_capacity
from sla.report.loader import load_content
from sla.service import evaluate_month
from tests.factories.sla import NOW, small_month

pytestmark = pytest.mark.django_db
START = dt.datetime(2025, 5, 31, 22, 0, tzinfo=dt.UTC)  # 1 June, Paris midnight
STEP = dt.timedelta(minutes=5)
M = 1_000_000


def insert(interface_id: int, device_id: int, rows: list[tuple[int, float | None]]) -> None:
    connection.ensure_connection()
    conn: Any = connection.connection
    ensure_partitions(conn, ROLLUP_5M, START, START + dt.timedelta(days=31))
    with conn.cursor() as cur:
        for n, value in rows:
            cur.execute(
                "INSERT INTO metrics_interface_5m (bucket, interface_id, device_id, in_mean, "
                "in_max, in_count, out_mean, out_count, seconds_up, samples) "
                "VALUES (%s, %s, %s, %s, %s, 5, NULL, 0, 300, 5)",
                (START + n * STEP, interface_id, device_id, value, value),
            )


def test_p95_nearest_rank_share_and_episodes() -> None:
    month = small_month()
    iface = month.link_a.a_interface
    assert iface is not None
    # Buckets 0–99 ramp 1…100 Mbit/s; buckets 200–201 at 90 (two in a row: no episode);
    # bucket 300 unmeasured (NULL: left out, never zero). N = 102 → rank ⌈0.95 × 102⌉ = 97:
    # ascending 1…89, then 90 ×3 (ranks 90–92), 91…100 (ranks 93–102) → 95 Mbit/s.
    rows: list[tuple[int, float | None]] = [(n, (n + 1) * M) for n in range(100)]
    rows += [(200, 90 * M), (201, 90 * M), (300, None)]
    insert(iface.pk, iface.device_id, rows)
    link = CapacityLink(month.link_a.pk, iface.pk, 100 * M, 100 * M)
    cap = monthly_capacity(connection.connection, [link], START, START + dt.timedelta(days=30))[
        month.link_a.pk
    ]
    assert cap.intervals == 8640
    assert cap.down.p95_bps == 95 * M
    assert cap.down.measured == 102
    assert cap.down.at_or_above_80 == 23  # 80…100 (21) and the two 90s
    assert cap.down.episodes == 1  # buckets 79–99 in a row; 200–201 are only two
    assert cap.down.max_bps == 100 * M
    assert (cap.up.measured, cap.up.p95_bps) == (0, None)
    # The same figure as the metrics store's own one-link query.
    single = monthly_p95(connection.connection, month.link_a.pk, 2025, 6)
    assert (single.down_bps, single.down_intervals) == (cap.down.p95_bps, cap.down.measured)
    content = load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)
    (row,) = content.capacity
    assert (row.subscription, row.p95_down_bps, row.episodes, row.coverage_pct) == (
        "A",
        95 * M,
        1,
        "1.180",  # 102 / 8,640
    )


def test_episode_counting() -> None:
    t = [START + n * STEP for n in (0, 1, 2, 3, 10, 11, 20, 21, 22)]
    assert episodes(t) == 2
    assert episodes([]) == 0
