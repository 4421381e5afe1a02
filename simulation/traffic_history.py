"""The demo's traffic history: a month of rollups for every link, so every chart has data.

`menhir demo` starts polling from an empty metrics store; without a past, the 7- and 30-day
charts would be empty for days. This writes plausible rollups for the month before the first
real sample (or before now when nothing was polled yet): 5-minute buckets for the last 7 days
(the 5-minute rollup's retention), hourly buckets for the month, daily ones from the hourly. The
hourly buckets of the last 7 days and every daily bucket are aggregated from the finer rows with
the rollup job's own arithmetic, so a zoom from a day to its hours to its 5 minutes agrees.

The shape: a night floor, a working-day hump around 11:00 and 15:30 (Paris time), weekends
quiet, a per-link peak share of the committed rate, and a few links that run close to it (the
saturation a NOC should see). A link is silent (no row, a gap on the chart) while the generated
SLA history holds it down. 5-minute and hourly buckets that already hold data are left alone
(`ON CONFLICT DO NOTHING`), and nothing is written at or after the first real sample's bucket:
polled data is never overwritten. (The coarser buckets are recomputed from the finer ones, as
the rollup job does, so a run again gives the same rows.)

This is simulation for demos and benchmarks, kept outside the domain packages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from metrics.rollups import ORIGIN, coarser_rollup_sql
from metrics.schema import ROLLUP_TABLES, Backend, detect_backend, ensure_partitions

FIVE_MINUTES = timedelta(minutes=5)
FINE_DAYS = 7  # the 5-minute rollup's retention (metrics.schema.ROLLUP_5M)
MONTH_DAYS = 31
SATURATED_ONE_IN = 40  # links whose peak reaches ~97 % of the committed rate

# One row per link and bucket. The per-bucket shape (Paris hour, working day) and the per-link
# scale are computed once each, then crossed; the noise is integer arithmetic on the two indexes,
# so the cross product costs a few multiplications per row. {table}, {step}, {seconds},
# {samples} and {saturated} are fixed by the caller. A link without a committed rate uses a fifth
# of its port speed as its scale.
_SYNTHETIC_SQL = """
WITH buckets AS MATERIALIZED (
    SELECT n, b.bucket,
           least(1.0, exp(-power((k.hour - 11.0) / 3.5, 2))
                      + 0.6 * exp(-power((k.hour - 15.5) / 2.0, 2))) AS hump,
           k.workday
    FROM generate_series(0, %(n)s - 1) AS n
    CROSS JOIN LATERAL (SELECT %(lo)s::timestamptz + n * interval '{step}' AS bucket) AS b
    CROSS JOIN LATERAL (
        SELECT (extract(hour FROM b.bucket AT TIME ZONE 'Europe/Paris')
                + extract(minute FROM b.bucket AT TIME ZONE 'Europe/Paris') / 60.0)::float8 AS hour,
               extract(isodow FROM b.bucket AT TIME ZONE 'Europe/Paris') < 6 AS workday
    ) AS k
),
links AS MATERIALIZED (
    SELECT l.id, l.a_interface_id, i.device_id,
           (CASE WHEN abs(hashtext('peak:' || l.id)) %% {saturated} = 0 THEN 0.97
                 ELSE 0.15 + (abs(hashtext('share:' || l.id)) %% 45) / 100.0 END)::float8 AS peak,
           coalesce(nullif(l.committed_down_bps, 0), l.port_speed_bps / 5, 10000000)::float8
               AS down_scale,
           coalesce(nullif(l.committed_up_bps, 0), nullif(l.committed_down_bps, 0),
                    l.port_speed_bps / 5, 10000000)::float8 AS up_scale
    FROM inventory_link l JOIN inventory_interface i ON i.id = l.a_interface_id
),
silent AS (  -- (link, bucket) pairs the generated SLA history holds down
    SELECT DISTINCT r.link_id, s.bucket
    FROM sla_monitoringrun r
    CROSS JOIN LATERAL generate_series(
        date_bin('{step}', greatest(r.start, %(lo)s::timestamptz), '{origin}'),
        least(r."end", %(hi)s::timestamptz) - interval '1 microsecond', interval '{step}'
    ) AS s(bucket)
    WHERE r.state = 'down' AND r.start < %(hi)s AND r."end" > %(lo)s
),
noisy AS (  -- a deterministic noise factor in [0.7, 1.05) per link, bucket and direction
    SELECT b.bucket, b.workday, b.hump, l.*,
           0.7 + 0.35 * ((l.id * 7919 + b.n * 104729) %% 1000)::float8 / 1000 AS noise_down,
           0.7 + 0.35 * ((l.id * 104729 + b.n * 7919) %% 1000)::float8 / 1000 AS noise_up
    FROM links l CROSS JOIN buckets b
),
shaped AS (
    SELECT bucket, a_interface_id, device_id,
           down_scale * least(0.99::float8, 0.03 + CASE WHEN workday THEN peak ELSE peak * 0.15
                                                   END * hump * noise_down) AS down,
           up_scale * least(0.99::float8, 0.03 + CASE WHEN workday THEN peak * 0.4
                                                 ELSE peak * 0.06 END * hump * noise_up) AS up
    FROM noisy n
    WHERE NOT EXISTS (SELECT 1 FROM silent s WHERE s.link_id = n.id AND s.bucket = n.bucket)
)
INSERT INTO {table} (bucket, interface_id, device_id, in_mean, in_max, in_p95, in_count,
                     out_mean, out_max, out_p95, out_count, in_errors, out_errors, in_discards,
                     out_discards, seconds_up, samples)
SELECT bucket, a_interface_id, device_id, down, down * 1.3, down * 1.15, {samples},
       up, up * 1.3, up * 1.15, {samples}, 0, 0, 0, 0, {seconds}, {samples}
FROM shaped
ON CONFLICT (interface_id, bucket) DO NOTHING
"""


@dataclass(frozen=True)
class TrafficHistory:
    start: datetime
    end: datetime
    rows: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{n:,} {res}" for res, n in self.rows.items())
        return (
            f"traffic rollups {self.start:%Y-%m-%d %H:%M} → {self.end:%Y-%m-%d %H:%M} UTC: {counts}"
        )


def _floor(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + (moment - epoch) // step * step


def history_end(conn: Any, now: datetime) -> datetime:
    """Where generated history stops: the first real sample's 5-minute bucket, or now's."""
    with conn.cursor() as cur:
        cur.execute("SELECT min(time) FROM metrics_interface_sample")
        first = cur.fetchone()[0]
    return _floor(min(first, now) if first else now, FIVE_MINUTES)


def generate_traffic(conn: Any, *, now: datetime | None = None) -> TrafficHistory:
    """Write the month of rollups before the first real sample; return what was written."""
    end = history_end(conn, now or datetime.now(UTC))
    month_start = _floor(end - timedelta(days=MONTH_DAYS), timedelta(days=1))
    fine_start = _floor(end - timedelta(days=FINE_DAYS), timedelta(hours=1))
    if detect_backend(conn) == Backend.PARTITIONS:
        for table in ROLLUP_TABLES.values():
            ensure_partitions(conn, table, month_start, end)
    rows = {}
    with conn.cursor() as cur:
        rows["5m"] = _synthetic(cur, "metrics_interface_5m", "5 minutes", 300, 5, fine_start, end)
        hourly = _synthetic(
            cur, "metrics_interface_1h", "1 hour", 3600, 60, month_start, fine_start
        )
        # the rollup job's own upserts: the last 7 days' hours from their 5 minutes, every day
        # from its hours (the 5-minute rows of older days are past their retention)
        cur.execute(
            coarser_rollup_sql("metrics_interface_1h", "1 hour"),
            {"lo": fine_start, "hi": _floor(end, timedelta(hours=1))},
        )
        rows["1h"] = hourly + cur.rowcount
        daily = coarser_rollup_sql("metrics_interface_1d", "1 day", source="metrics_interface_1h")
        cur.execute(daily, {"lo": month_start, "hi": _floor(end, timedelta(days=1))})
        rows["1d"] = cur.rowcount
    return TrafficHistory(month_start, end, rows)


def _synthetic(
    cur: Any, table: str, step: str, seconds: int, samples: int, lo: datetime, hi: datetime
) -> int:
    if hi <= lo:
        return 0
    query = _SYNTHETIC_SQL.format(
        table=table,
        step=step,
        seconds=seconds,
        samples=samples,
        saturated=SATURATED_ONE_IN,
        origin=ORIGIN,
    )
    count = (hi - lo) // timedelta(seconds=seconds)
    cur.execute(query, {"lo": lo, "hi": hi, "n": count})
    return int(cur.rowcount)
