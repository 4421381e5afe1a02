"""The COPY writer: idempotent batches, bad input refused, partitions made on demand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from metrics.types import DeviceSample, StatusEvent
from metrics.writer import MetricsWriteError, MetricsWriter
from tests.metrics.samples import T0, iface, minutes


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_same_batch_twice_stores_rows_once(conninfo: str, conn: Any, tmp_path: Path) -> None:
    batch = [iface(t, i) for t in minutes(10) for i in (1, 2, 3)]
    devices = [DeviceSample(t, 1, True, 100.0, 1.5, None) for t in minutes(10)]
    events = [StatusEvent(T0, 1, None, "device_reachable"), StatusEvent(T0, 1, 2, "interface_up")]
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        first = writer.write(batch, devices, events)
        second = writer.write(batch, devices, events)
    assert (first.inserted, first.spooled) == (30 + 10 + 2, False)
    assert (second.inserted, second.spooled) == (0, False)
    assert _count(conn, "metrics_interface_sample") == 30
    assert _count(conn, "metrics_device_sample") == 10
    assert _count(conn, "metrics_status_event") == 2


def test_duplicates_inside_one_batch_store_one_row(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        result = writer.write([iface(T0), iface(T0), iface(T0, 2)])
    assert result.inserted == 2
    assert _count(conn, "metrics_interface_sample") == 2


def test_writing_queues_the_touched_five_minute_buckets(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        writer.write([iface(t) for t in minutes(12)])
    rows = conn.execute(
        "SELECT bucket FROM metrics_rollup_pending WHERE resolution = '5m' ORDER BY bucket"
    ).fetchall()
    assert [r[0] for r in rows] == [T0, T0 + timedelta(minutes=5), T0 + timedelta(minutes=10)]


def test_values_round_trip(conninfo: str, conn: Any, tmp_path: Path) -> None:
    sample = iface(T0, 7, 123.5, None, errors=3, discards=None, device_id=9)
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        writer.write([sample])
    row = conn.execute(
        "SELECT time, interface_id, device_id, interval_s, in_bps, out_bps, in_errors,"
        " in_discards, oper_status, admin_up, speed_bps FROM metrics_interface_sample"
    ).fetchone()
    assert row == (T0, 7, 9, 60.0, 123.5, None, 3, None, 1, True, 100_000_000)


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        (iface(datetime(2026, 11, 2)), "aware datetime"),  # noqa: DTZ001 - the bad input itself
        (iface(T0, in_bps=-1.0), "in_bps"),
        (iface(T0, in_bps=float("nan")), "in_bps"),
        (iface(T0, errors=-5), "in_errors"),
        (iface(datetime.now(UTC) + timedelta(days=2)), "future"),
    ],
)
def test_bad_samples_are_refused_before_anything_is_written(
    conninfo: str, conn: Any, tmp_path: Path, sample: Any, message: str
) -> None:
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        with pytest.raises(ValueError, match=message):
            writer.write([iface(T0), sample])
        assert writer.pending_batches() == 0
    assert _count(conn, "metrics_interface_sample") == 0


def test_the_also_hook_commits_with_the_batch_or_not_at_all(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    def mark(cur: psycopg.Cursor[Any]) -> None:
        cur.execute(
            "INSERT INTO metrics_status_event (time, device_id, interface_id, kind, detail)"
            " VALUES (%s, 99, NULL, 'hook', '')",
            [T0],
        )

    def refuse(cur: psycopg.Cursor[Any]) -> None:
        mark(cur)
        cur.execute("SELECT 1/0")

    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        with pytest.raises(MetricsWriteError):
            writer.write([iface(T0)], also=refuse)
        # The partitions made in the refused transaction are gone: the writer makes them again.
        result = writer.write([iface(T0, 2)], also=mark)
    assert result.inserted == 1
    assert _count(conn, "metrics_interface_sample") == 1  # the refused batch's row rolled back
    assert _count(conn, "metrics_status_event") == 1  # the hook of the committed batch only
    assert list((tmp_path / "spool" / "rejected").glob("*.jsonl"))  # refused batch kept
