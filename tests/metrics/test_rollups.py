"""Rollups against series computed by hand: mean, max, p95 (nearest rank), counts, seconds up."""

from __future__ import annotations

import math
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from metrics.rollups import queue_range, run_rollups
from metrics.types import OperStatus
from metrics.writer import MetricsWriter
from tests.metrics.samples import T0, iface

COLUMNS = (
    "in_mean, in_max, in_p95, in_count, out_mean, out_max, out_p95, out_count,"
    " in_errors, out_errors, in_discards, out_discards, seconds_up, samples"
)


def nearest_rank_p95(values: list[float | None]) -> float | None:
    known = sorted(v for v in values if v is not None)
    return known[math.ceil(0.95 * len(known)) - 1] if known else None


def _in(i: int) -> float | None:
    return None if i in (7, 33) else float((i * 37) % 61) * 1000


def _out(i: int) -> float | None:
    return None if i == 50 else float(i * 10)


def _up(i: int) -> bool:
    return not 10 <= i < 15


def hour_of_samples() -> list[Any]:
    """Interface 1: one hour at one-minute polling, gaps (None) and five minutes down."""
    return [
        iface(
            T0 + timedelta(minutes=i),
            1,
            _in(i),
            _out(i),
            status=OperStatus.UP if _up(i) else OperStatus.DOWN,
            errors=i % 3,
            discards=1,
        )
        for i in range(60)
    ]


def expected_5m(k: int) -> tuple[Any, ...]:
    idx = range(5 * k, 5 * k + 5)
    ins = [_in(i) for i in idx]
    outs = [_out(i) for i in idx]
    kin = [v for v in ins if v is not None]
    kout = [v for v in outs if v is not None]
    return (
        sum(kin) / len(kin),
        max(kin),
        nearest_rank_p95(ins),
        len(kin),
        sum(kout) / len(kout),
        max(kout),
        nearest_rank_p95(outs),
        len(kout),
        sum(i % 3 for i in idx),
        sum(i % 3 for i in idx),
        5,
        5,
        60.0 * sum(_up(i) for i in idx),
        5,
    )


def _rows(conn: Any, table: str, interface_id: int = 1) -> list[tuple[Any, ...]]:
    return conn.execute(
        f"SELECT bucket, {COLUMNS} FROM {table} WHERE interface_id = %s ORDER BY bucket",
        (interface_id,),
    ).fetchall()


def _approx(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(pytest.approx(v) if isinstance(v, float) else v for v in row)


def test_five_minute_rollup_matches_the_hand_computed_series(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(hour_of_samples())
    run_rollups(conn)
    rows = _rows(conn, "metrics_interface_5m")
    assert [r[0] for r in rows] == [T0 + timedelta(minutes=5 * k) for k in range(12)]
    for k, row in enumerate(rows):
        assert row[1:] == _approx(expected_5m(k)), f"bucket {k}"


def test_hour_and_day_rollups_weight_means_and_take_p95_of_five_minute_means(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(hour_of_samples())
    run_rollups(conn)
    fives = [expected_5m(k) for k in range(12)]
    ins = [v for i in range(60) if (v := _in(i)) is not None]
    outs = [v for i in range(60) if (v := _out(i)) is not None]
    expected = (
        sum(ins) / len(ins),
        max(ins),
        nearest_rank_p95([f[0] for f in fives]),
        len(ins),
        sum(outs) / len(outs),
        max(outs),
        nearest_rank_p95([f[4] for f in fives]),
        len(outs),
        sum(i % 3 for i in range(60)),
        sum(i % 3 for i in range(60)),
        60,
        60,
        60.0 * 55,
        60,
    )
    (hour,) = _rows(conn, "metrics_interface_1h")
    (day,) = _rows(conn, "metrics_interface_1d")
    assert hour == (T0, *_approx(expected))
    assert day == (T0, *_approx(expected))


@pytest.mark.parametrize(("n", "rank"), [(20, 19), (21, 20), (5, 5), (1, 1)])
def test_p95_is_the_nearest_rank_not_an_interpolation(
    conninfo: str, conn: Any, tmp_path: Path, n: int, rank: int
) -> None:
    values = [float(v) for v in range(1, n + 1)]
    random.Random(n).shuffle(values)
    step = timedelta(seconds=300 / n)
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write([iface(T0 + i * step, 2, v, v) for i, v in enumerate(values)])
    run_rollups(conn)
    row = conn.execute("SELECT in_p95, out_p95, in_max FROM metrics_interface_5m").fetchone()
    assert row == (float(rank), float(rank), float(n))


def test_an_interval_without_any_known_rate_rolls_up_unknown_not_zero(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    samples = [iface(T0 + timedelta(minutes=i), 3, None, None) for i in range(5)]
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(samples)
    run_rollups(conn)
    row = conn.execute(
        "SELECT in_mean, in_max, in_p95, in_count, samples FROM metrics_interface_5m"
    ).fetchone()
    assert row == (None, None, None, 0, 5)


def test_only_touched_buckets_are_recomputed_and_late_data_is_picked_up(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write([iface(T0 + timedelta(minutes=i), 4, 100.0) for i in range(0, 60, 2)])
        first = run_rollups(conn)
        again = run_rollups(conn)
        # A late sample (e.g. a replayed spool) inside the third bucket.
        writer.write([iface(T0 + timedelta(minutes=11), 4, 700.0)])
        late = run_rollups(conn)
    assert [(r.resolution, r.buckets) for r in first] == [("5m", 12), ("1h", 1), ("1d", 1)]
    assert [r.buckets for r in again] == [0, 0, 0]
    assert [(r.resolution, r.buckets) for r in late] == [("5m", 1), ("1h", 1), ("1d", 1)]
    row = conn.execute(
        "SELECT in_mean, in_max, samples FROM metrics_interface_5m WHERE bucket = %s",
        (T0 + timedelta(minutes=10),),
    ).fetchone()
    assert row == (pytest.approx((100.0 * 3 + 700.0) / 4), 700.0, 4)
    watermark = conn.execute(
        "SELECT resolution, buckets_done FROM metrics_rollup_watermark ORDER BY resolution"
    ).fetchall()
    assert watermark == [("1d", 2), ("1h", 2), ("5m", 13)]


def test_recomputing_the_same_buckets_changes_nothing(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(hour_of_samples())
    run_rollups(conn)
    before = {t: _rows(conn, t) for t in ("metrics_interface_5m", "metrics_interface_1h")}
    queue_range(conn, T0, T0 + timedelta(hours=1))
    runs = run_rollups(conn)
    assert runs[0].buckets == 12
    after = {t: _rows(conn, t) for t in ("metrics_interface_5m", "metrics_interface_1h")}
    assert after == before
