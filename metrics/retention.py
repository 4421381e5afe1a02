"""Retention per resolution, by dropping whole partitions or chunks — never row DELETEs, which
would bloat the big tables and cost as much I/O as the data itself.

A partition (or chunk) goes once all of it is older than the cut-off, so data lives between the
retention and the retention plus one partition width (1 day raw, 7 days for 5 min, 30 days for
1 h, 365 days for 1 day).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

from metrics import schema


@dataclass(frozen=True)
class RetentionPolicy:
    """Days kept per resolution; device samples and the raw probes follow the raw interface
    samples, the probes' rollups the samples' rollups of the same resolution."""

    raw_days: int = 30
    five_minute_days: int = 365
    hourly_days: int = 5 * 365
    daily_days: int = 10 * 365

    @classmethod
    def from_mapping(cls, days: Mapping[str, int]) -> RetentionPolicy:
        """From {"raw": 30, "5m": 365, "1h": 1825, "1d": 3650} (missing keys keep defaults)."""
        unknown = set(days) - {"raw", "5m", "1h", "1d"}
        if unknown:
            raise ValueError(f"unknown retention resolution(s): {sorted(unknown)}")
        default = cls()
        policy = cls(
            raw_days=int(days.get("raw", default.raw_days)),
            five_minute_days=int(days.get("5m", default.five_minute_days)),
            hourly_days=int(days.get("1h", default.hourly_days)),
            daily_days=int(days.get("1d", default.daily_days)),
        )
        for name, value in policy.per_table().items():
            if value < 1:
                raise ValueError(f"retention of {name} must be at least 1 day, not {value}")
        return policy

    def per_table(self) -> dict[str, int]:
        return {
            schema.RAW.name: self.raw_days,
            schema.DEVICE.name: self.raw_days,
            schema.PROBE.name: self.raw_days,
            schema.ROLLUP_5M.name: self.five_minute_days,
            schema.ROLLUP_1H.name: self.hourly_days,
            schema.ROLLUP_1D.name: self.daily_days,
            schema.PROBE_5M.name: self.five_minute_days,
            schema.PROBE_1H.name: self.hourly_days,
            schema.PROBE_1D.name: self.daily_days,
        }


def apply_retention(
    conn: psycopg.Connection[Any],
    policy: RetentionPolicy | None = None,
    *,
    now: datetime | None = None,
) -> list[str]:
    """Drop what is past retention; return the dropped partitions' or chunks' names."""
    policy = policy or RetentionPolicy()
    now = now or datetime.now(UTC)
    tsdb = schema.timescaledb_installed(conn)
    dropped: list[str] = []
    with conn.transaction():
        for table in schema.TIME_TABLES:
            cutoff = now - timedelta(days=policy.per_table()[table.name])
            if tsdb:
                rows = conn.execute(
                    "SELECT drop_chunks(%s::regclass, older_than => %s::timestamptz)",
                    (table.name, cutoff),
                ).fetchall()
                dropped += [str(r[0]) for r in rows]
            else:
                dropped += _drop_partitions(conn, table, cutoff)
        # The rollups' queue is tiny; forget buckets whose raw data is gone.
        conn.execute(
            "DELETE FROM metrics_rollup_pending WHERE bucket < %s",
            (now - timedelta(days=policy.raw_days),),
        )
    return dropped


def _drop_partitions(
    conn: psycopg.Connection[Any], table: schema.TimeTable, cutoff: datetime
) -> list[str]:
    dropped = []
    for start, name in sorted(schema.existing_partitions(conn, table).items()):
        if start + table.width <= cutoff:
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
            dropped.append(name)
    return dropped
