"""The poller's own health, one row per cycle in `metrics_poll_cycle` (schema.POLL_CYCLE_DDL).

Kept apart from the samples: a cycle whose batch was spooled (database away) still wants its
row once the database is back, so the poller writes it after the batch, and a failure to write
it is logged, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

INSERT_SQL = """
INSERT INTO metrics_poll_cycle (time, interval_s, duration_s, devices, unreachable, errors,
                                timeouts, samples, spooled, spool_batches)
VALUES (%(time)s, %(interval_s)s, %(duration_s)s, %(devices)s, %(unreachable)s, %(errors)s,
        %(timeouts)s, %(samples)s, %(spooled)s, %(spool_batches)s)
ON CONFLICT (time) DO UPDATE SET
    interval_s = EXCLUDED.interval_s, duration_s = EXCLUDED.duration_s,
    devices = EXCLUDED.devices, unreachable = EXCLUDED.unreachable, errors = EXCLUDED.errors,
    timeouts = EXCLUDED.timeouts, samples = EXCLUDED.samples, spooled = EXCLUDED.spooled,
    spool_batches = EXCLUDED.spool_batches
"""
# SNMP timeouts: the poller reports them as "… no reply …" (poller.snmp.errors.Timeout).
TIMEOUT_MARK = "no reply"


@dataclass(frozen=True)
class CycleStats:
    time: datetime  # the cycle's slot start
    interval_s: int
    duration_s: float
    devices: int
    unreachable: int
    errors: int
    timeouts: int
    samples: int
    spooled: bool
    spool_batches: int

    def __post_init__(self) -> None:
        if self.time.tzinfo is None:
            raise ValueError("the cycle time must be timezone-aware")
        if self.interval_s <= 0 or self.duration_s < 0:
            raise ValueError(f"bad cycle: interval {self.interval_s} s, {self.duration_s} s")
        counts = (self.devices, self.unreachable, self.errors, self.timeouts, self.samples)
        if min(counts) < 0 or self.spool_batches < 0:
            raise ValueError("cycle counts cannot be negative")


def count_timeouts(errors: list[str | None]) -> int:
    return sum(1 for e in errors if e and TIMEOUT_MARK in e)


def record_cycle(conn: psycopg.Connection[Any], stats: CycleStats) -> None:
    """Write (or rewrite, for the same slot) one cycle's row; the caller commits."""
    conn.execute(INSERT_SQL, stats.__dict__)


KEEP_DAYS = 30


def prune(conn: psycopg.Connection[Any], now: datetime, keep_days: int = KEEP_DAYS) -> int:
    """Drop the cycle rows older than `keep_days` (the store's maintenance calls it); the
    caller commits."""
    cur = conn.execute(
        "DELETE FROM metrics_poll_cycle WHERE time < %s", [now - timedelta(days=keep_days)]
    )
    return cur.rowcount
