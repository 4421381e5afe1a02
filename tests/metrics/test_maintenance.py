"""The periodic job: partitions ahead, rollups brought up to date, retention applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from metrics.maintenance import conninfo_for, maintain, policy_from_settings
from metrics.retention import RetentionPolicy
from metrics.writer import MetricsWriter
from tests.metrics.samples import iface

NOW = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)


def test_maintain_rolls_up_pending_buckets_and_drops_expired_data(
    conninfo: str, conn: Any, tmp_path: Path
) -> None:
    old, recent = NOW - timedelta(days=45), NOW - timedelta(hours=2)
    with MetricsWriter(conninfo, tmp_path) as writer:
        writer.write([iface(old, 1, 10.0), iface(recent, 1, 20.0)])
    report = maintain(conn, RetentionPolicy(raw_days=30), now=NOW)
    assert [(r.resolution, r.buckets) for r in report.rollups] == [
        ("5m", 2),
        ("1h", 2),
        ("1d", 2),
    ]
    assert len(report.dropped) == 1  # the old raw day; its 5-minute rollup is kept
    assert conn.execute("SELECT count(*) FROM metrics_interface_sample").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM metrics_interface_5m").fetchone() == (2,)
    again = maintain(conn, RetentionPolicy(raw_days=30), now=NOW)
    assert (again.dropped, [r.buckets for r in again.rollups]) == ([], [0, 0, 0])


def test_retention_and_database_come_from_the_settings(settings: Any) -> None:
    settings.METRICS_RETENTION_DAYS = {"raw": 7, "5m": 90, "1h": 400, "1d": 4000}
    db = {"NAME": "menhir", "USER": "u", "PASSWORD": "", "HOST": "h", "PORT": 5433}
    assert policy_from_settings() == RetentionPolicy(7, 90, 400, 4000)
    assert conninfo_for(db) == "dbname=menhir user=u host=h port=5433"
    settings.METRICS_RETENTION_DAYS = {"raw": -1}
    with pytest.raises(ValueError, match="at least 1 day"):
        policy_from_settings()
