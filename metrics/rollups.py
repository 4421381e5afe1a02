"""Rollups (5 min, 1 h, 1 day), maintained incrementally by Menhir itself.

Continuous aggregates are not in TimescaleDB's Apache build, and plain PostgreSQL has none, so the
same SQL runs on both. The writer queues every 5-minute bucket it added rows to in
`metrics_rollup_pending` (late and replayed data included); a run takes the queue of one
resolution, recomputes just those buckets with idempotent upserts, and queues the enclosing
buckets of the next resolution — all in one transaction per resolution, so a crash leaves the
queue as it was. `metrics_rollup_watermark` records when each resolution last ran.

What a bucket holds: mean and max of in/out bit/s over the samples with a known rate, the 95th
percentile by nearest rank (`percentile_disc(0.95)`: the ⌈0.95 × N⌉-th value in ascending order),
error and discard counts summed, seconds the interface was up (sum of the measured intervals of
the samples that saw it up) and the number of samples. The 5-minute p95 is over raw samples; the
1-hour and 1-day p95 are over the bucket's 5-minute means (the usual "95th percentile of 5-minute
averages"), and their means are the 5-minute means weighted by their sample counts.

The prober's slots (`metrics_link_probe`) roll up from the same queue into
`metrics_link_probe_5m/1h/1d`, per link: slots, probes sent and lost (sums, so the loss ratio of
any bucket is exact), the lowest and highest RTT, the mean of the slots' median RTTs (a median of
medians would not compose from one resolution to the next; the mean weighted by the slots that had
one does, exactly), the worst slot median (`rtt_median_max_ms`: a bad slot, without the single
outlier probe `rtt_max_ms` may be) and the mean jitter, weighted likewise. One queue for both: the
poller and the prober write the same slots, and a bucket recomputed with nothing new is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

RESOLUTIONS: dict[str, timedelta] = {
    "5m": timedelta(minutes=5),
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
}
PARENT = {"5m": "1h", "1h": "1d"}
ORIGIN = "1970-01-01 00:00:00+00"
_LOCK_KEY = 0x4D45_4E52  # "MENR": one rollup run at a time per database

_UPDATED = [
    "device_id", "in_mean", "in_max", "in_p95", "in_count", "out_mean", "out_max", "out_p95",
    "out_count", "in_errors", "out_errors", "in_discards", "out_discards", "seconds_up", "samples",
]  # fmt: skip
_UPSERT_SET = ", ".join(f"{c} = EXCLUDED.{c}" for c in _UPDATED)
_COLUMNS = (
    "bucket, interface_id, device_id, in_mean, in_max, in_p95, in_count, out_mean, out_max,"
    " out_p95, out_count, in_errors, out_errors, in_discards, out_discards, seconds_up, samples"
)

# %(lo)s/%(hi)s: one run of contiguous queued buckets, [first start, last end): a plain range
# scan (partition pruning), grouped by bucket.
ROLLUP_5M_SQL = f"""
INSERT INTO metrics_interface_5m ({_COLUMNS})
SELECT date_bin('5 minutes', s.time, '{ORIGIN}'), s.interface_id, max(s.device_id),
       avg(s.in_bps), max(s.in_bps), percentile_disc(0.95) WITHIN GROUP (ORDER BY s.in_bps),
       count(s.in_bps),
       avg(s.out_bps), max(s.out_bps), percentile_disc(0.95) WITHIN GROUP (ORDER BY s.out_bps),
       count(s.out_bps),
       sum(s.in_errors), sum(s.out_errors), sum(s.in_discards), sum(s.out_discards),
       coalesce(sum(s.interval_s) FILTER (WHERE s.oper_status = 1), 0),
       count(*)
FROM metrics_interface_sample s
WHERE s.time >= %(lo)s AND s.time < %(hi)s
GROUP BY 1, 2
ON CONFLICT (interface_id, bucket) DO UPDATE SET {_UPSERT_SET}
"""

# From a finer rollup (the 5-minute one for the rollup job) to a coarser one; {table}, {source}
# and {step} are fixed identifiers.
_ROLLUP_COARSER_SQL = """
INSERT INTO {table} ({columns})
SELECT date_bin('{step}', r.bucket, '{origin}'), r.interface_id, max(r.device_id),
       sum(r.in_mean * r.in_count) / nullif(sum(r.in_count), 0), max(r.in_max),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY r.in_mean), sum(r.in_count),
       sum(r.out_mean * r.out_count) / nullif(sum(r.out_count), 0), max(r.out_max),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY r.out_mean), sum(r.out_count),
       sum(r.in_errors), sum(r.out_errors), sum(r.in_discards), sum(r.out_discards),
       sum(r.seconds_up), sum(r.samples)
FROM {source} r
WHERE r.bucket >= %(lo)s AND r.bucket < %(hi)s
GROUP BY 1, 2
ON CONFLICT (interface_id, bucket) DO UPDATE SET {upsert}
"""


def coarser_rollup_sql(table: str, step: str, source: str = "metrics_interface_5m") -> str:
    """The upsert of `table`'s buckets of `step` over %(lo)s..%(hi)s from the rollup `source`."""
    return _ROLLUP_COARSER_SQL.format(
        table=table, source=source, columns=_COLUMNS, step=step, origin=ORIGIN, upsert=_UPSERT_SET
    )


# --- probes ---------------------------------------------------------------------------------
_PROBE_UPDATED = [
    "device_id", "slots", "sent", "lost", "rtt_min_ms", "rtt_median_ms", "rtt_median_max_ms",
    "rtt_max_ms", "rtt_count", "jitter_ms", "jitter_count",
]  # fmt: skip
_PROBE_COLUMNS = "bucket, link_id, " + ", ".join(_PROBE_UPDATED)
_PROBE_UPSERT = ", ".join(f"{c} = EXCLUDED.{c}" for c in _PROBE_UPDATED)

PROBE_5M_SQL = f"""
INSERT INTO metrics_link_probe_5m ({_PROBE_COLUMNS})
SELECT date_bin('5 minutes', p.time, '{ORIGIN}'), p.link_id, max(p.device_id),
       count(*), sum(p.sent), sum(p.lost),
       min(p.rtt_min_ms), avg(p.rtt_median_ms), max(p.rtt_median_ms), max(p.rtt_max_ms),
       count(p.rtt_median_ms), avg(p.jitter_ms), count(p.jitter_ms)
FROM metrics_link_probe p
WHERE p.time >= %(lo)s AND p.time < %(hi)s
GROUP BY 1, 2
ON CONFLICT (link_id, bucket) DO UPDATE SET {_PROBE_UPSERT}
"""

_PROBE_COARSER_SQL = """
INSERT INTO {table} ({columns})
SELECT date_bin('{step}', r.bucket, '{origin}'), r.link_id, max(r.device_id),
       sum(r.slots), sum(r.sent), sum(r.lost),
       min(r.rtt_min_ms), sum(r.rtt_median_ms * r.rtt_count) / nullif(sum(r.rtt_count), 0),
       max(r.rtt_median_max_ms), max(r.rtt_max_ms), sum(r.rtt_count),
       sum(r.jitter_ms * r.jitter_count) / nullif(sum(r.jitter_count), 0), sum(r.jitter_count)
FROM {source} r
WHERE r.bucket >= %(lo)s AND r.bucket < %(hi)s
GROUP BY 1, 2
ON CONFLICT (link_id, bucket) DO UPDATE SET {upsert}
"""


def coarser_probe_sql(table: str, step: str, source: str) -> str:
    """The upsert of the probe rollup `table`'s buckets of `step` from the finer `source`."""
    return _PROBE_COARSER_SQL.format(
        table=table,
        source=source,
        columns=_PROBE_COLUMNS,
        step=step,
        origin=ORIGIN,
        upsert=_PROBE_UPSERT,
    )


# Each resolution's statements, run over the same queued buckets.
ROLLUP_SQL = {
    "5m": [ROLLUP_5M_SQL, PROBE_5M_SQL],
    "1h": [
        coarser_rollup_sql("metrics_interface_1h", "1 hour"),
        coarser_probe_sql("metrics_link_probe_1h", "1 hour", "metrics_link_probe_5m"),
    ],
    "1d": [
        coarser_rollup_sql("metrics_interface_1d", "1 day"),
        coarser_probe_sql("metrics_link_probe_1d", "1 day", "metrics_link_probe_1h"),
    ],
}

TAKE_PENDING_SQL = "DELETE FROM metrics_rollup_pending WHERE resolution = %s RETURNING bucket"
QUEUE_PARENT_SQL = f"""
INSERT INTO metrics_rollup_pending (resolution, bucket)
SELECT DISTINCT %(parent)s, date_bin(%(step)s::interval, b, '{ORIGIN}')
FROM unnest(%(buckets)s::timestamptz[]) AS b
ON CONFLICT DO NOTHING
"""
WATERMARK_SQL = """
INSERT INTO metrics_rollup_watermark (resolution, last_run, buckets_done)
VALUES (%s, now(), %s)
ON CONFLICT (resolution) DO UPDATE
SET last_run = EXCLUDED.last_run,
    buckets_done = metrics_rollup_watermark.buckets_done + EXCLUDED.buckets_done
"""


@dataclass(frozen=True)
class RollupRun:
    resolution: str
    buckets: int
    rows: int


def queue_range(
    conn: psycopg.Connection[Any], start: datetime, end: datetime, resolution: str = "5m"
) -> None:
    """Queue every bucket of [start, end) for recomputation (e.g. after a manual repair)."""
    conn.execute(
        f"""INSERT INTO metrics_rollup_pending (resolution, bucket)
        SELECT %(res)s, g FROM generate_series(
            date_bin(%(step)s::interval, %(start)s::timestamptz, '{ORIGIN}'),
            %(end)s::timestamptz - interval '1 microsecond', %(step)s::interval) AS g
        ON CONFLICT DO NOTHING""",
        {"res": resolution, "step": RESOLUTIONS[resolution], "start": start, "end": end},
    )
    conn.commit()


def run_rollups(conn: psycopg.Connection[Any]) -> list[RollupRun]:
    """Recompute the queued buckets, 5 min then 1 h then 1 day. Safe to run concurrently
    (an advisory lock makes the second run wait) and to repeat (upserts)."""
    runs = []
    for resolution in RESOLUTIONS:
        runs.append(run_resolution(conn, resolution))
    return runs


def contiguous_runs(buckets: list[datetime], step: timedelta) -> list[tuple[datetime, datetime]]:
    """[start, end) ranges covering the buckets, merging neighbours: few scans, none wasted."""
    runs: list[tuple[datetime, datetime]] = []
    for bucket in sorted(buckets):
        if runs and runs[-1][1] == bucket:
            runs[-1] = (runs[-1][0], bucket + step)
        else:
            runs.append((bucket, bucket + step))
    return runs


def run_resolution(conn: psycopg.Connection[Any], resolution: str) -> RollupRun:
    step = RESOLUTIONS[resolution]
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        buckets = [row[0] for row in conn.execute(TAKE_PENDING_SQL, (resolution,)).fetchall()]
        rows = 0
        for lo, hi in contiguous_runs(buckets, step):
            for statement in ROLLUP_SQL[resolution]:
                rows += conn.execute(statement, {"lo": lo, "hi": hi}).rowcount
        if buckets:
            parent = PARENT.get(resolution)
            if parent:
                conn.execute(
                    QUEUE_PARENT_SQL,
                    {"parent": parent, "step": RESOLUTIONS[parent], "buckets": buckets},
                )
        conn.execute(WATERMARK_SQL, (resolution, len(buckets)))
    return RollupRun(resolution, len(buckets), rows)
