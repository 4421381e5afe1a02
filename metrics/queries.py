"""Reading the store: series at the right resolution, top-N utilisation, monthly 95th percentile.

Plain SQL strings (no ORM on the hot path), the same on TimescaleDB and on native partitions. A
link's traffic is its CPE uplink (the link's A interface) seen from the establishment: down is
what the CPE receives (ifHCInOctets, `in_bps`), up is what it sends (`out_bps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import psycopg
from psycopg.rows import tuple_row

from common.times import month_bounds
from metrics.types import InterfaceSample, OperStatus

RAW_MAX_SPAN = timedelta(hours=6)
FIVE_MINUTE_MAX_SPAN = timedelta(days=7)
HOURLY_MAX_SPAN = timedelta(days=90)
MAX_POINTS = 4000
STEP = {
    "raw": timedelta(minutes=1),
    "5m": timedelta(minutes=5),
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
}
TABLE = {"5m": "metrics_interface_5m", "1h": "metrics_interface_1h", "1d": "metrics_interface_1d"}
CONTRACT_TZ = ZoneInfo("Europe/Paris")


class Point(NamedTuple):
    """One point of a series; for an interface down/up read in/out. Max is None where unknown
    (an establishment's sum has no exact max). None rates are gaps, never zero. A NamedTuple:
    8,640 of them build ten times faster than frozen dataclasses."""

    time: datetime
    down_bps: float | None
    up_bps: float | None
    down_max: float | None = None
    up_max: float | None = None


@dataclass(frozen=True)
class Series:
    resolution: str
    start: datetime
    end: datetime
    points: list[Point]


def choose_resolution(start: datetime, end: datetime, max_points: int = MAX_POINTS) -> str:
    """raw ≤ 6 h, 5 min ≤ 7 d, 1 h ≤ 90 d, else 1 day; coarser again if that is too many points."""
    if end <= start:
        raise ValueError(f"empty range: {start} .. {end}")
    span = end - start
    order = ["raw", "5m", "1h", "1d"]
    limits = {"raw": RAW_MAX_SPAN, "5m": FIVE_MINUTE_MAX_SPAN, "1h": HOURLY_MAX_SPAN}
    first = next((r for r in order[:-1] if span <= limits[r]), "1d")
    for resolution in order[order.index(first) :]:
        if span / STEP[resolution] <= max_points:
            return resolution
    raise ValueError(f"range of {span} exceeds {max_points} daily points")


# --- SQL --------------------------------------------------------------------------------------
INTERFACE_RAW_SQL = """
SELECT time, in_bps, out_bps, in_bps, out_bps
FROM metrics_interface_sample
WHERE interface_id = %(id)s AND time >= %(start)s AND time < %(end)s
ORDER BY time
"""
INTERFACE_ROLLUP_SQL = {
    res: f"""
SELECT bucket, in_mean, out_mean, in_max, out_max
FROM {table}
WHERE interface_id = %(id)s AND bucket >= %(start)s AND bucket < %(end)s
ORDER BY bucket
"""
    for res, table in TABLE.items()
}
LINK_SQL = """
SELECT a_interface_id, committed_down_bps, committed_up_bps FROM inventory_link WHERE id = %s
"""


# Summed series (an establishment's links, a PoP's or an operator's): one shape, two selections.
def _sum_raw_sql(join: str, match: str) -> str:
    return f"""
SELECT minute, sum(down_bps), sum(up_bps), NULL::float8, NULL::float8
FROM (
    SELECT date_bin('1 minute', s.time, '1970-01-01 00:00:00+00') AS minute, s.interface_id,
           avg(s.in_bps) AS down_bps, avg(s.out_bps) AS up_bps
    FROM metrics_interface_sample s {join.format(t="s")}
    WHERE {match.format(t="s")} AND s.time >= %(start)s AND s.time < %(end)s
    GROUP BY 1, 2
) per_interface
GROUP BY minute
ORDER BY minute
"""


def _sum_rollup_sql(table: str, join: str, match: str) -> str:
    return f"""
SELECT r.bucket, sum(r.in_mean), sum(r.out_mean), NULL::float8, NULL::float8
FROM {table} r {join.format(t="r")}
WHERE {match.format(t="r")} AND r.bucket >= %(start)s AND r.bucket < %(end)s
GROUP BY r.bucket
ORDER BY r.bucket
"""


_ESTABLISHMENT = (
    "JOIN inventory_link l ON l.a_interface_id = {t}.interface_id",
    "l.establishment_id = %(id)s AND l.role <> 'backbone'",
)
_INTERFACES = ("", "{t}.interface_id = ANY(%(ids)s)")
ESTABLISHMENT_RAW_SQL = _sum_raw_sql(*_ESTABLISHMENT)
ESTABLISHMENT_ROLLUP_SQL = {res: _sum_rollup_sql(t, *_ESTABLISHMENT) for res, t in TABLE.items()}
LINKS_RAW_SQL = _sum_raw_sql(*_INTERFACES)
LINKS_ROLLUP_SQL = {res: _sum_rollup_sql(t, *_INTERFACES) for res, t in TABLE.items()}
CPE_INTERFACES_SQL = """
SELECT a_interface_id FROM inventory_link WHERE id = ANY(%s) AND a_interface_id IS NOT NULL
"""

_TOP_METRIC = {
    "p95": (
        "percentile_disc(0.95) WITHIN GROUP (ORDER BY r.in_mean)",
        "percentile_disc(0.95) WITHIN GROUP (ORDER BY r.out_mean)",
    ),
    "mean": (
        "sum(r.in_mean * r.in_count) / nullif(sum(r.in_count), 0)",
        "sum(r.out_mean * r.out_count) / nullif(sum(r.out_count), 0)",
    ),
    "max": ("max(r.in_max)", "max(r.out_max)"),
}
TOP_N_SQL = {
    metric: f"""
WITH per_link AS (
    SELECT l.id AS link_id, l.committed_down_bps, l.committed_up_bps,
           {down} AS down_bps, {up} AS up_bps
    FROM inventory_link l
    JOIN metrics_interface_5m r ON r.interface_id = l.a_interface_id
    WHERE r.bucket >= %(start)s AND r.bucket < %(end)s
      AND (l.committed_down_bps > 0 OR l.committed_up_bps > 0)
    GROUP BY l.id, l.committed_down_bps, l.committed_up_bps
), ratios AS (
    SELECT *, down_bps / nullif(committed_down_bps, 0) AS down_util,
              up_bps / nullif(committed_up_bps, 0) AS up_util
    FROM per_link
)
SELECT link_id, committed_down_bps, committed_up_bps, down_bps, up_bps, down_util, up_util,
       greatest(down_util, up_util) AS utilisation
FROM ratios
WHERE greatest(down_util, up_util) IS NOT NULL
ORDER BY utilisation DESC, link_id
LIMIT %(limit)s
"""
    for metric, (down, up) in _TOP_METRIC.items()
}
MONTHLY_P95_SQL = """
SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY r.in_mean),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY r.out_mean),
       count(r.in_mean), count(r.out_mean)
FROM metrics_interface_5m r
WHERE r.interface_id = %(id)s AND r.bucket >= %(start)s AND r.bucket < %(end)s
"""


# --- series -----------------------------------------------------------------------------------
def fetch_rows(
    conn: psycopg.Connection[Any], query: str, params: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """A series' rows as tuples. A server-side-binding cursor whatever the connection's cursor
    factory (Django's connections make client-side cursors, which cannot ask for binary
    results); binary: timestamps and floats decode several times faster."""
    with psycopg.Cursor(conn, row_factory=tuple_row) as cur:
        return cur.execute(query, params, binary=True).fetchall()


def _fetch_points(conn: psycopg.Connection[Any], query: str, params: dict[str, Any]) -> list[Point]:
    return list(map(Point._make, fetch_rows(conn, query, params)))


def interface_series(
    conn: psycopg.Connection[Any],
    interface_id: int,
    start: datetime,
    end: datetime,
    *,
    resolution: str | None = None,
) -> Series:
    """An interface's in (down_bps) and out (up_bps) over [start, end)."""
    resolution = resolution or choose_resolution(start, end)
    params = {"id": interface_id, "start": start, "end": end}
    query = INTERFACE_RAW_SQL if resolution == "raw" else INTERFACE_ROLLUP_SQL[resolution]
    return Series(resolution, start, end, _fetch_points(conn, query, params))


@dataclass(frozen=True)
class LinkInfo:
    link_id: int
    cpe_interface_id: int
    committed_down_bps: int | None
    committed_up_bps: int | None


def link_info(conn: psycopg.Connection[Any], link_id: int) -> LinkInfo:
    row = conn.execute(LINK_SQL, (link_id,)).fetchone()
    if row is None:
        raise LookupError(f"no link {link_id}")
    if row[0] is None:
        raise LookupError(f"link {link_id} has no CPE interface (a_interface) to read")
    return LinkInfo(link_id, row[0], row[1], row[2])


def link_series(
    conn: psycopg.Connection[Any],
    link_id: int,
    start: datetime,
    end: datetime,
    *,
    resolution: str | None = None,
) -> Series:
    """A link's traffic from the establishment's side (down = CPE uplink's in)."""
    info = link_info(conn, link_id)
    return interface_series(conn, info.cpe_interface_id, start, end, resolution=resolution)


def establishment_series(
    conn: psycopg.Connection[Any],
    establishment_id: int,
    start: datetime,
    end: datetime,
    *,
    resolution: str | None = None,
) -> Series:
    """An establishment's traffic: the sum over its access links (primary and backup)."""
    resolution = resolution or choose_resolution(start, end)
    params = {"id": establishment_id, "start": start, "end": end}
    query = ESTABLISHMENT_RAW_SQL if resolution == "raw" else ESTABLISHMENT_ROLLUP_SQL[resolution]
    return Series(resolution, start, end, _fetch_points(conn, query, params))


def links_series(
    conn: psycopg.Connection[Any],
    link_ids: list[int],
    start: datetime,
    end: datetime,
    *,
    resolution: str | None = None,
) -> Series:
    """The summed traffic of a set of links (a PoP's or an operator's access links), each read
    on its CPE uplink like `link_series`; a bucket sums the links measured in it."""
    resolution = resolution or choose_resolution(start, end)
    with conn.cursor() as cur:
        interfaces = [row[0] for row in cur.execute(CPE_INTERFACES_SQL, (list(link_ids),))]
    if not interfaces:
        return Series(resolution, start, end, [])
    params = {"ids": interfaces, "start": start, "end": end}
    query = LINKS_RAW_SQL if resolution == "raw" else LINKS_ROLLUP_SQL[resolution]
    return Series(resolution, start, end, _fetch_points(conn, query, params))


# --- top-N and percentiles --------------------------------------------------------------------
@dataclass(frozen=True)
class LinkUtilisation:
    link_id: int
    committed_down_bps: int | None
    committed_up_bps: int | None
    down_bps: float | None
    up_bps: float | None
    down_util: float | None
    up_util: float | None
    utilisation: float


def top_utilisation(
    conn: psycopg.Connection[Any],
    start: datetime,
    end: datetime,
    *,
    limit: int = 10,
    metric: str = "p95",
) -> list[LinkUtilisation]:
    """The links most used against their committed rate over [start, end), from 5-minute means:
    `p95` (nearest rank), `mean` or `max`. Utilisation is the larger of down and up ratios."""
    if metric not in TOP_N_SQL:
        raise ValueError(f"metric must be one of {sorted(TOP_N_SQL)}, not {metric!r}")
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    rows = conn.execute(
        TOP_N_SQL[metric],
        {"start": start, "end": end, "limit": limit},
    ).fetchall()
    return [LinkUtilisation(*row) for row in rows]


@dataclass(frozen=True)
class MonthlyPercentile:
    """95th percentile (nearest rank) of the month's 5-minute means. UNKNOWN intervals (no
    measured rate) are left out, never counted as zero; with none measured the value is None."""

    start: datetime
    end: datetime
    down_bps: float | None
    up_bps: float | None
    down_intervals: int
    up_intervals: int
    intervals_in_month: int


def monthly_p95(
    conn: psycopg.Connection[Any],
    link_id: int,
    year: int,
    month: int,
    *,
    tz: ZoneInfo = CONTRACT_TZ,
) -> MonthlyPercentile:
    info = link_info(conn, link_id)
    start, end = month_bounds(year, month, tz)
    row = conn.execute(
        MONTHLY_P95_SQL, {"id": info.cpe_interface_id, "start": start, "end": end}
    ).fetchone()
    assert row is not None  # an aggregate always answers one row
    intervals = int((end - start) / STEP["5m"])
    return MonthlyPercentile(start, end, row[0], row[1], row[2], row[3], intervals)


def samples_between(
    conn: psycopg.Connection[Any], start: datetime, end: datetime
) -> list[InterfaceSample]:
    """The raw interface samples of `[start, end)`, as the poller produced them: what a
    distributed slot's shards wrote, read back for the slot's load and error conditions."""
    from metrics.schema import OPER_STATUS_CODES, RAW

    status = {code: OperStatus(name) for name, code in OPER_STATUS_CODES.items()}
    query = (
        "SELECT time, device_id, interface_id, interval_s, in_bps, out_bps, in_errors,"
        " out_errors, in_discards, out_discards, oper_status, admin_up, speed_bps"
        f" FROM {RAW.name} WHERE time >= %(start)s AND time < %(end)s"
    )
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(query, {"start": start, "end": end})
        rows = cur.fetchall()
    return [
        InterfaceSample(
            time=r[0],
            device_id=r[1],
            interface_id=r[2],
            interval_s=r[3],
            in_bps=r[4],
            out_bps=r[5],
            in_errors=r[6],
            out_errors=r[7],
            in_discards=r[8],
            out_discards=r[9],
            oper_status=status[r[10]],
            admin_up=r[11],
            speed_bps=r[12],
        )
        for r in rows
    ]
