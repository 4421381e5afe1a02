"""Upcoming partitions (native backend), chunks (TimescaleDB), and retention by dropping them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from metrics import schema
from metrics.retention import RetentionPolicy, apply_retention
from metrics.types import DeviceSample
from metrics.writer import MetricsWriter
from tests.metrics.samples import iface

NOW = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)  # in the past: the writer refuses future samples
LATER = datetime(2031, 1, 30, 12, 0, tzinfo=UTC)  # no partition exists yet


def _chunks(conn: Any, table: str) -> list[tuple[datetime, datetime]]:
    return conn.execute(
        "SELECT range_start, range_end FROM timescaledb_information.chunks"
        " WHERE hypertable_name = %s ORDER BY range_start",
        (table,),
    ).fetchall()


def test_maintenance_creates_today_and_the_next_days_partitions(conn: Any, backend: str) -> None:
    created = schema.ensure_upcoming_partitions(conn, now=LATER, days_ahead=3)
    conn.commit()
    if backend == "timescaledb":
        assert created == []  # chunks appear on insert
        return
    days = [d for d in sorted(schema.existing_partitions(conn, schema.RAW)) if d.year == 2031]
    expected = [datetime(2031, 1, d, tzinfo=UTC) for d in (29, 30, 31)] + [
        datetime(2031, 2, d, tzinfo=UTC) for d in (1, 2)
    ]
    assert days == expected
    assert "metrics_interface_sample_p20310202" in created
    assert "metrics_device_sample_p20310202" in created
    again = schema.ensure_upcoming_partitions(conn, now=LATER, days_ahead=3)
    assert again == []


def test_partitions_and_chunks_are_aligned_on_the_same_day_boundaries(
    conninfo: str, conn: Any, backend: str, tmp_path: Path
) -> None:
    times = [NOW - timedelta(days=d) for d in (0, 1, 2)]
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(
            [iface(t) for t in times], [DeviceSample(t, 1, True, 1, 1, None) for t in times]
        )
    starts = [schema.partition_start(schema.RAW, t) for t in sorted(times)]
    if backend == "timescaledb":
        assert [c[0] for c in _chunks(conn, "metrics_interface_sample")] == starts
    else:
        days = [d for d in sorted(schema.existing_partitions(conn, schema.RAW)) if d <= NOW]
        assert days == starts  # (the migration also made partitions around the real today)


def test_retention_drops_whole_partitions_past_the_cut_off(
    conninfo: str, conn: Any, backend: str, tmp_path: Path
) -> None:
    days_back = [0, 1, 5, 29, 31, 40]
    times = [NOW - timedelta(days=d) for d in days_back]
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write(
            [iface(t) for t in times], [DeviceSample(t, 1, True, 1, 1, None) for t in times]
        )
    dropped = apply_retention(conn, RetentionPolicy(raw_days=30), now=NOW)
    remaining = [
        r[0] for r in conn.execute("SELECT time FROM metrics_interface_sample ORDER BY time")
    ]
    # The day of 31 days ago ends before the cut-off (now - 30 days): gone; 29 days ago stays.
    assert remaining == sorted(NOW - timedelta(days=d) for d in (0, 1, 5, 29))
    device_rows = conn.execute("SELECT count(*) FROM metrics_device_sample").fetchone()
    assert device_rows == (4,)
    assert len(dropped) == 4  # two days of raw and two of device samples
    if backend == "timescaledb":
        assert all("_hyper_" in name for name in dropped)
    else:
        assert sorted(dropped) == [
            "metrics_device_sample_p20260905",
            "metrics_device_sample_p20260914",
            "metrics_interface_sample_p20260905",
            "metrics_interface_sample_p20260914",
        ]


def test_retention_keeps_rollups_for_their_own_longer_period(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    old = NOW - timedelta(days=100)
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write([iface(old)])
    from metrics.rollups import run_rollups

    run_rollups(conn)
    apply_retention(conn, RetentionPolicy(), now=NOW)
    assert conn.execute("SELECT count(*) FROM metrics_interface_sample").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM metrics_interface_5m").fetchone() == (1,)
    apply_retention(conn, RetentionPolicy.from_mapping({"5m": 60}), now=NOW)
    assert conn.execute("SELECT count(*) FROM metrics_interface_5m").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM metrics_interface_1h").fetchone() == (1,)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [({"raw": 0}, "at least 1 day"), ({"weekly": 3}, "unknown retention")],
)
def test_bad_retention_settings_are_refused(mapping: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetentionPolicy.from_mapping(mapping)


def test_compression_is_used_only_where_the_build_has_it(conn: Any, backend: str) -> None:
    enabled = schema.try_enable_compression(conn, schema.RAW)
    conn.commit()
    license_ = schema.timescaledb_license(conn)
    if backend == "partitions":
        assert (enabled, license_) == (False, None)
    elif license_ == "apache":
        # Debian's Apache build refuses with SQLSTATE 0A000: detected, and the table still works.
        assert enabled is False
        conn.execute("SELECT count(*) FROM metrics_interface_sample").fetchone()
    else:
        assert enabled is True


def test_the_migration_made_hypertables_or_partitioned_tables(conn: Any, backend: str) -> None:
    names = sorted(t.name for t in schema.TIME_TABLES)
    if backend == "timescaledb":
        rows = conn.execute(
            "SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1"
        ).fetchall()
        assert schema.timescaledb_license(conn) == "apache"  # Debian's build
    else:
        rows = conn.execute(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
            " ORDER BY 1"
        ).fetchall()
    assert [r[0] for r in rows] == names
