"""Capacity against the committed rate, per subscription-month (docs/sla.md, "Capacity").

From the metrics store's 5-minute means of each link's CPE uplink interface (the A end): mean,
max and 95th percentile (nearest rank: `percentile_disc(0.95)` is the ⌈0.95 × N⌉-th ascending
value of the N measured intervals), share of intervals at or above 80 % of the committed rate,
saturation episodes (≥ 3 consecutive such intervals) and coverage. Intervals the poller could
not measure are NULL in the store: left out, never zero. Down = into the CPE (`in`), up = out.
All links in one query, so a contract of 2,000 links costs one round trip, not 2,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

STEP = timedelta(minutes=5)
SATURATION = Fraction(8, 10)
EPISODE_INTERVALS = 3

_SQL = """
WITH links(link_id, interface_id, down_bps, up_bps) AS (
    SELECT * FROM unnest(%(links)s::bigint[], %(ifaces)s::bigint[],
                         %(down)s::double precision[], %(up)s::double precision[])
)
SELECT l.link_id,
       avg(r.in_mean), max(r.in_max), percentile_disc(0.95) WITHIN GROUP (ORDER BY r.in_mean),
       count(r.in_mean), count(*) FILTER (WHERE r.in_mean >= 0.8 * l.down_bps),
       avg(r.out_mean), max(r.out_max), percentile_disc(0.95) WITHIN GROUP (ORDER BY r.out_mean),
       count(r.out_mean), count(*) FILTER (WHERE r.out_mean >= 0.8 * l.up_bps)
FROM links l JOIN metrics_interface_5m r ON r.interface_id = l.interface_id
WHERE r.bucket >= %(start)s AND r.bucket < %(end)s
GROUP BY l.link_id
"""

_HOT_SQL = """
WITH links(link_id, interface_id, down_bps, up_bps) AS (
    SELECT * FROM unnest(%(links)s::bigint[], %(ifaces)s::bigint[],
                         %(down)s::double precision[], %(up)s::double precision[])
)
SELECT l.link_id, r.bucket, r.in_mean >= 0.8 * l.down_bps, r.out_mean >= 0.8 * l.up_bps
FROM links l JOIN metrics_interface_5m r ON r.interface_id = l.interface_id
WHERE r.bucket >= %(start)s AND r.bucket < %(end)s AND l.link_id = ANY(%(hot)s)
  AND (r.in_mean >= 0.8 * l.down_bps OR r.out_mean >= 0.8 * l.up_bps)
ORDER BY l.link_id, r.bucket
"""


@dataclass(frozen=True)
class Direction:
    mean_bps: float | None
    max_bps: float | None
    p95_bps: float | None
    measured: int
    at_or_above_80: int
    episodes: int
    committed_bps: int | None

    @property
    def p95_share(self) -> Fraction | None:
        """p95 / committed rate (1 = the whole committed rate)."""
        if self.p95_bps is None or not self.committed_bps:
            return None
        return Fraction(self.p95_bps) / self.committed_bps


@dataclass(frozen=True)
class Capacity:
    link_id: int
    intervals: int  # 5-minute intervals in the month
    down: Direction
    up: Direction


@dataclass(frozen=True)
class CapacityLink:
    link_id: int
    interface_id: int
    committed_down_bps: int | None
    committed_up_bps: int | None


def episodes(buckets: list[datetime]) -> int:
    """Runs of ≥ 3 consecutive 5-minute buckets in a sorted list."""
    count = run = 0
    previous: datetime | None = None
    for bucket in buckets:
        run = run + 1 if previous is not None and bucket - previous == STEP else 1
        if run == EPISODE_INTERVALS:
            count += 1
        previous = bucket
    return count


def monthly_capacity(
    conn: Any, links: list[CapacityLink], start: datetime, end: datetime
) -> dict[int, Capacity]:
    """Per link pk, its month's capacity figures; links without any measurement are absent."""
    if not links:
        return {}
    params = {
        "links": [link.link_id for link in links],
        "ifaces": [link.interface_id for link in links],
        "down": [link.committed_down_bps for link in links],
        "up": [link.committed_up_bps for link in links],
        "start": start,
        "end": end,
    }
    with conn.cursor() as cur:
        cur.execute(_SQL, params)
        rows = cur.fetchall()
        hot = [r[0] for r in rows if (r[5] or 0) >= EPISODE_INTERVALS or (r[10] or 0) >= 3]
        hot_rows: list[tuple[int, datetime, bool | None, bool | None]] = []
        if hot:
            cur.execute(_HOT_SQL, {**params, "hot": hot})
            hot_rows = cur.fetchall()
    down_hot: dict[int, list[datetime]] = defaultdict(list)
    up_hot: dict[int, list[datetime]] = defaultdict(list)
    for link_id, bucket, down, up in hot_rows:
        if down:
            down_hot[link_id].append(bucket)
        if up:
            up_hot[link_id].append(bucket)
    committed = {link.link_id: link for link in links}
    intervals = int((end - start) / STEP)
    out: dict[int, Capacity] = {}
    for row in rows:
        link_id = row[0]
        info = committed[link_id]
        out[link_id] = Capacity(
            link_id,
            intervals,
            _direction(row[1:6], episodes(down_hot[link_id]), info.committed_down_bps),
            _direction(row[6:11], episodes(up_hot[link_id]), info.committed_up_bps),
        )
    return out


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _direction(row: tuple[Any, ...], count: int, committed: int | None) -> Direction:
    mean, peak, p95, measured, hot = row
    return Direction(_float(mean), _float(peak), _float(p95), measured, hot or 0, count, committed)
