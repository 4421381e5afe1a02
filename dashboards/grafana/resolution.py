"""Panel SQL that reads the store at the right resolution for Grafana's range and interval.

One query serves every zoom: a UNION ALL of the raw samples and the three rollups, each branch
guarded by a condition on `$__interval_ms` and the range (`$__to - $__from`) alone. Once Grafana
has expanded the macros those conditions are constants, so PostgreSQL folds them at plan time and
only one table is ever scanned (the tests check the plans): a year of a link reads ~365 daily rows.

The level follows metrics.queries.choose_resolution — raw up to 6 h, 5 minutes up to 7 days,
1 hour up to 90 days, then 1 day — and goes coarser when the interval Grafana asks for is
already wider than the table's step. The prober's measurements (`probe_source`) have the same
four levels, on `metrics_link_probe` and its rollups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True)
class Level:
    name: str
    table: str
    time_column: str
    step_ms: int
    max_span_ms: int | None  # the widest range read at this level (None: no limit)


LEVELS = (
    Level("raw", "metrics_interface_sample", "time", 60_000, 6 * HOUR_MS),
    Level("5m", "metrics_interface_5m", "bucket", 300_000, 7 * DAY_MS),
    Level("1h", "metrics_interface_1h", "bucket", HOUR_MS, 90 * DAY_MS),
    Level("1d", "metrics_interface_1d", "bucket", DAY_MS, None),
)


def level_expression(minimum: int = 0) -> str:
    """SQL for the level (0 raw … 3 daily) from the interval and the range, at least `minimum`."""
    by_interval = " ".join(
        f"WHEN $__interval_ms >= {lvl.step_ms} THEN {i}"
        for i, lvl in reversed(list(enumerate(LEVELS)))
        if i > 0
    )
    by_span = " ".join(
        f"WHEN $__to - $__from > {lvl.max_span_ms} THEN {i + 1}"
        for i, lvl in reversed(list(enumerate(LEVELS)))
        if lvl.max_span_ms is not None
    )
    return f"greatest({minimum}, CASE {by_interval} ELSE 0 END, CASE {by_span} ELSE 0 END)"


# Per-level columns, all named alike: t, interface_id, in_bps, out_bps, in_max, out_max,
# errors, discards, up (the share of the step the interface was up, 0..1; NULL unknown).
_RAW_COLUMNS = (
    "s.time AS t, s.interface_id, s.in_bps, s.out_bps, s.in_bps AS in_max, s.out_bps AS out_max,"
    " coalesce(s.in_errors, 0) + coalesce(s.out_errors, 0) AS errors,"
    " coalesce(s.in_discards, 0) + coalesce(s.out_discards, 0) AS discards,"
    " CASE s.oper_status WHEN 1 THEN 1.0 WHEN 2 THEN 0.0 END AS up"
)


def _rollup_columns(step_ms: int) -> str:
    return (
        "s.bucket AS t, s.interface_id, s.in_mean AS in_bps, s.out_mean AS out_bps, s.in_max,"
        " s.out_max, coalesce(s.in_errors, 0) + coalesce(s.out_errors, 0) AS errors,"
        " coalesce(s.in_discards, 0) + coalesce(s.out_discards, 0) AS discards,"
        f" least(1.0, s.seconds_up / {step_ms / 1000:g}) AS up"
    )


def _source(
    levels: tuple[Level, ...], columns: Callable[[Level], str], condition: str, minimum: int
) -> str:
    """The UNION ALL of the levels' tables, each branch guarded by its level (see the top)."""
    level = level_expression(minimum)
    branches = [
        f"SELECT {columns(lvl)} FROM {lvl.table} s"
        f" WHERE {level} = {i} AND $__timeFilter(s.{lvl.time_column}) AND {condition}"
        for i, lvl in enumerate(levels)
    ]
    return "\n  UNION ALL\n  ".join(branches)


def interface_source(interfaces: str, *, minimum: int = 0) -> str:
    """A subquery of the samples of the interfaces `s.interface_id` matches (`interfaces` is a
    condition on alias `s`), in Grafana's time range, at the level for its range and interval."""

    def columns(lvl: Level) -> str:
        return _RAW_COLUMNS if lvl.name == "raw" else _rollup_columns(lvl.step_ms)

    return _source(LEVELS, columns, interfaces, minimum)


PROBE_LEVELS = tuple(
    replace(lvl, table=table)
    for lvl, table in zip(
        LEVELS,
        (
            "metrics_link_probe",
            "metrics_link_probe_5m",
            "metrics_link_probe_1h",
            "metrics_link_probe_1d",
        ),
        strict=True,
    )
)
# Per-level columns of the probes: t, link_id, rtt (a slot's median RTT, a bucket's mean of
# them) and rtt_n (how many slots it stands for), sent, lost, jitter and jitter_n likewise.
_PROBE_RAW_COLUMNS = (
    "s.time AS t, s.link_id, s.rtt_median_ms::float8 AS rtt,"
    " (s.rtt_median_ms IS NOT NULL)::int AS rtt_n, s.sent::int8 AS sent, s.lost::int8 AS lost,"
    " s.jitter_ms::float8 AS jitter, (s.jitter_ms IS NOT NULL)::int AS jitter_n"
)
_PROBE_ROLLUP_COLUMNS = (
    "s.bucket AS t, s.link_id, s.rtt_median_ms AS rtt, s.rtt_count AS rtt_n, s.sent, s.lost,"
    " s.jitter_ms AS jitter, s.jitter_count AS jitter_n"
)
# Aggregates over those columns: any set of slots or buckets, weighted by what they stand for.
PROBE_MEASURES = {
    "rtt": "sum(rtt * rtt_n) / nullif(sum(rtt_n), 0)",
    "loss": "100.0::float8 * sum(lost) / nullif(sum(sent), 0)",
    "jitter": "sum(jitter * jitter_n) / nullif(sum(jitter_n), 0)",
}


def probe_source(links: str, *, minimum: int = 0) -> str:
    """A subquery of the probes of the links `s.link_id` matches, like `interface_source`."""

    def columns(lvl: Level) -> str:
        return _PROBE_RAW_COLUMNS if lvl.name == "raw" else _PROBE_ROLLUP_COLUMNS

    return _source(PROBE_LEVELS, columns, links, minimum)


def time_bin(column: str) -> str:
    """Grafana's interval as a bucket (at least a minute, the poll period), aligned on the epoch."""
    stride = "make_interval(secs => greatest($__interval_ms, 60000) / 1000.0)"
    return f"date_bin({stride}, {column}, 'epoch')"


def binned(interfaces: str, *, measures: str, minimum: int = 0) -> str:
    """Per interface and per Grafana interval: `measures` (aggregates over the source columns),
    with columns `time`, `interface_id` and the measures: sum them across interfaces on top."""
    return (
        f"SELECT {time_bin('t')} AS time, interface_id, {measures}\n"
        f"  FROM (\n  {interface_source(interfaces, minimum=minimum)}\n  ) src\n"
        "  GROUP BY 1, 2"
    )


RATES = "avg(in_bps) AS in_bps, avg(out_bps) AS out_bps"


def traffic_totals(interfaces: str, down: str, up: str, extra: str = "") -> str:
    """Grafana's `time` and the in/out bit/s summed over the interfaces, per interval, as
    columns named `down` and `up`; `extra` adds more select items (constants, subqueries)."""
    return (
        f'SELECT time, sum(in_bps) AS "{down}", sum(out_bps) AS "{up}"{extra}\nFROM (\n'
        f"{binned(interfaces, measures=RATES)}\n) per_interface\n"
        "GROUP BY time\nORDER BY time"
    )
