"""The probes' rollups against figures computed by hand: sums of sent and lost, RTT extremes, the
mean and worst of slot medians, mean jitter; coarse buckets agree with the raw slots; recomputing
changes nothing; late slots are picked up; retention follows the samples' resolutions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest

from metrics.retention import RetentionPolicy, apply_retention
from metrics.rollups import queue_range, run_rollups
from metrics.types import LinkProbe
from metrics.writer import MetricsWriter
from tests.metrics.samples import T0

LINK = 11
COLUMNS = (
    "slots, sent, lost, rtt_min_ms, rtt_median_ms, rtt_median_max_ms, rtt_max_ms, rtt_count,"
    " jitter_ms, jitter_count"
)


def slot(i: int, link_id: int = LINK) -> LinkProbe:
    """Minute i: 5 probes, some lost; every 17th slot all lost (no RTT), every 7th one answer
    only (an RTT, no jitter)."""
    time = T0 + timedelta(minutes=i)
    if i % 17 == 3:
        return LinkProbe(time, link_id, 1, "twamp", 5, 5, None, None, None, None, "no reply")
    median = 2.0 + (i * 13) % 29 / 4
    if i % 7 == 0:
        return LinkProbe(time, link_id, 1, "twamp", 5, 4, median, median, median, None)
    return LinkProbe(
        time, link_id, 1, "twamp", 5, i % 3, median - 0.5, median, median + i % 5, 0.25 * (i % 4)
    )


def expected(slots: list[LinkProbe]) -> tuple[Any, ...]:
    """What a bucket over these slots holds, from the raw slots."""
    medians = [s.rtt_median_ms for s in slots if s.rtt_median_ms is not None]
    jitters = [s.jitter_ms for s in slots if s.jitter_ms is not None]
    return (
        len(slots),
        sum(s.sent for s in slots),
        sum(s.lost for s in slots),
        min((s.rtt_min_ms for s in slots if s.rtt_min_ms is not None), default=None),
        fmean(medians) if medians else None,
        max(medians, default=None),
        max((s.rtt_max_ms for s in slots if s.rtt_max_ms is not None), default=None),
        len(medians),
        fmean(jitters) if jitters else None,
        len(jitters),
    )


def _rows(conn: Any, table: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        f"SELECT bucket, {COLUMNS} FROM {table} WHERE link_id = %s ORDER BY bucket", (LINK,)
    ).fetchall()


def _approx(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(pytest.approx(v, rel=1e-6) if isinstance(v, float) else v for v in row)


def test_five_minute_buckets_hold_the_slots_figures(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    data = [slot(i) for i in range(60)]
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(probes=data)
    runs = run_rollups(conn)
    assert [(r.resolution, r.buckets) for r in runs] == [("5m", 12), ("1h", 1), ("1d", 1)]
    rows = _rows(conn, "metrics_link_probe_5m")
    assert len(rows) == 12
    for k, row in enumerate(rows):
        assert row[0] == T0 + timedelta(minutes=5 * k)
        assert row[1:] == _approx(expected(data[5 * k : 5 * k + 5]))
    assert rows[0][3] == 4 + 1 + 2 + 5 + 1  # slot 0 had one answer, slot 3 none


def test_coarse_buckets_agree_with_the_raw_slots(conninfo: str, conn: Any, tmp_path: Path) -> None:
    """Two hours across midnight: each hour and each day from the 5-minute rows equals the same
    figures taken straight from the raw slots (the means are weighted, not means of means)."""
    data = [slot(i) for i in range(-60, 60)]
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(probes=data)
    run_rollups(conn)
    hours = _rows(conn, "metrics_link_probe_1h")
    assert [h[0] for h in hours] == [T0 - timedelta(hours=1), T0]
    assert hours[0][1:] == _approx(expected(data[:60]))
    assert hours[1][1:] == _approx(expected(data[60:]))
    days = _rows(conn, "metrics_link_probe_1d")
    assert [d[0] for d in days] == [T0 - timedelta(days=1), T0]
    assert days[0][1:] == _approx(expected(data[:60]))
    assert days[1][1:] == _approx(expected(data[60:]))


def test_recomputing_changes_nothing_and_late_slots_are_picked_up(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    data = [slot(i) for i in range(0, 60, 2)]
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(probes=data)
        run_rollups(conn)
        tables = ("metrics_link_probe_5m", "metrics_link_probe_1h", "metrics_link_probe_1d")
        before = {t: _rows(conn, t) for t in tables}
        queue_range(conn, T0, T0 + timedelta(hours=1))
        assert run_rollups(conn)[0].buckets == 12
        assert {t: _rows(conn, t) for t in tables} == before
        writer.write(probes=data)  # the same slots again (a replayed spool): no new row
        assert [r.buckets for r in run_rollups(conn)] == [0, 0, 0]
        writer.write(probes=[slot(11)])  # a late slot in the third bucket
        late = run_rollups(conn)
    assert [(r.resolution, r.buckets) for r in late] == [("5m", 1), ("1h", 1), ("1d", 1)]
    third = _rows(conn, "metrics_link_probe_5m")[2]
    assert third[1:] == _approx(expected([slot(10), slot(11), slot(12), slot(14)]))
    hour = _rows(conn, "metrics_link_probe_1h")[0]
    assert hour[1:] == _approx(expected(sorted([*data, slot(11)], key=lambda s: s.time)))


def test_probe_rollups_follow_the_samples_retention(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    now = T0 + timedelta(days=100)
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(probes=[slot(0)])
    run_rollups(conn)
    apply_retention(conn, RetentionPolicy(), now=now)
    count = "SELECT count(*) FROM {}"
    assert conn.execute(count.format("metrics_link_probe")).fetchone() == (0,)
    assert conn.execute(count.format("metrics_link_probe_5m")).fetchone() == (1,)
    apply_retention(conn, RetentionPolicy.from_mapping({"5m": 60}), now=now)
    assert conn.execute(count.format("metrics_link_probe_5m")).fetchone() == (0,)
    assert conn.execute(count.format("metrics_link_probe_1h")).fetchone() == (1,)
    assert conn.execute(count.format("metrics_link_probe_1d")).fetchone() == (1,)


def test_slots_replayed_from_the_spool_are_rolled_up(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    data = [slot(i) for i in range(10)]
    away = "postgresql://nobody@127.0.0.1:1/none"
    with MetricsWriter(away, tmp_path, connect_timeout=1) as writer:
        assert writer.write(probes=data).spooled
    with MetricsWriter(conninfo, tmp_path) as writer:
        assert writer.replay() == 1
    assert [(r.resolution, r.buckets) for r in run_rollups(conn)] == [
        ("5m", 2),
        ("1h", 1),
        ("1d", 1),
    ]
    rows = _rows(conn, "metrics_link_probe_5m")
    assert [r[1:] for r in rows] == [_approx(expected(data[:5])), _approx(expected(data[5:]))]
