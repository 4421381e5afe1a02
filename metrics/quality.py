"""Reading the probes (prober → `metrics_link_probe` and its rollups): a link's quality series at
the resolution the range calls for, and the worst links of a recent window.

The same resolutions and limits as the throughput (`metrics.queries.choose_resolution`): raw slots
up to 6 h, 5-minute buckets up to 7 days, hours up to 90 days, then days. A point's RTT is the
slot's median (a bucket's: the mean of its slots' medians) with the lowest and highest RTT of the
slot or bucket around it; loss is lost / sent in percent; jitter the slot's (the bucket's mean).
A slot whose probes were all lost has a loss of 100 % and no RTT: a gap in the RTT line, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import psycopg

from metrics.queries import choose_resolution, fetch_rows

PROBE_TABLE = {
    "5m": "metrics_link_probe_5m",
    "1h": "metrics_link_probe_1h",
    "1d": "metrics_link_probe_1d",
}


class QualityPoint(NamedTuple):
    time: datetime
    rtt_median_ms: float | None
    rtt_min_ms: float | None
    rtt_max_ms: float | None
    loss_pct: float | None
    jitter_ms: float | None


@dataclass(frozen=True)
class QualitySeries:
    resolution: str
    start: datetime
    end: datetime
    points: list[QualityPoint]


_RAW_SQL = """
SELECT time, rtt_median_ms::float8, rtt_min_ms::float8, rtt_max_ms::float8,
       100.0::float8 * lost / nullif(sent, 0), jitter_ms::float8
FROM metrics_link_probe
WHERE link_id = %(id)s AND time >= %(start)s AND time < %(end)s
ORDER BY time
"""
_ROLLUP_SQL = """
SELECT bucket, rtt_median_ms, rtt_min_ms::float8, rtt_max_ms::float8,
       100.0::float8 * lost / nullif(sent, 0), jitter_ms
FROM {table}
WHERE link_id = %(id)s AND bucket >= %(start)s AND bucket < %(end)s
ORDER BY bucket
"""
SERIES_SQL = {"raw": _RAW_SQL} | {
    res: _ROLLUP_SQL.format(table=table) for res, table in PROBE_TABLE.items()
}


def link_quality_series(
    conn: psycopg.Connection[Any],
    link_id: int,
    start: datetime,
    end: datetime,
    *,
    resolution: str | None = None,
) -> QualitySeries:
    """A link's RTT (median, min, max), loss % and jitter over [start, end)."""
    resolution = resolution or choose_resolution(start, end)
    params = {"id": link_id, "start": start, "end": end}
    rows = fetch_rows(conn, SERIES_SQL[resolution], params)
    return QualitySeries(resolution, start, end, list(map(QualityPoint._make, rows)))


@dataclass(frozen=True)
class LinkQuality:
    """One link's probes over a window: slots measured, loss %, the mean of the slots' median
    RTTs, the highest RTT and the mean jitter (None where no probe answered)."""

    link_id: int
    slots: int
    loss_pct: float
    rtt_median_ms: float | None
    rtt_max_ms: float | None
    jitter_ms: float | None


# From the raw slots: the home page's window is the last hour, before its rollups are all done.
WORST_SQL = """
SELECT p.link_id, count(*), 100.0::float8 * sum(p.lost) / sum(p.sent),
       avg(p.rtt_median_ms), max(p.rtt_max_ms)::float8, avg(p.jitter_ms)
FROM metrics_link_probe p
{join}
WHERE p.time >= %(start)s AND p.time < %(end)s AND p.sent > 0 {match}
GROUP BY p.link_id
ORDER BY 3 DESC, 4 DESC NULLS LAST, p.link_id
LIMIT %(limit)s
"""
_BY_OPERATOR = ("JOIN inventory_link l ON l.id = p.link_id", "AND l.operator_id = %(operator)s")


def worst_links(
    conn: psycopg.Connection[Any],
    start: datetime,
    end: datetime,
    *,
    limit: int = 10,
    operator_id: int | None = None,
) -> list[LinkQuality]:
    """The links with the most loss over [start, end), then the highest median RTT (most links
    lose nothing: latency orders them); only one operator's links when `operator_id` is given."""
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    join, match = _BY_OPERATOR if operator_id is not None else ("", "")
    params = {"start": start, "end": end, "limit": limit, "operator": operator_id}
    rows = conn.execute(WORST_SQL.format(join=join, match=match), params).fetchall()
    return [LinkQuality(*row) for row in rows]
