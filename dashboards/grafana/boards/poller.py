"""The poller's health, from one row per cycle (metrics_poll_cycle): cycle duration against the
interval, overruns, SNMP timeouts and errors, the spool of batches waiting for the database."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from dashboards.grafana.panels import PanelBuilder, board, dashed, series, single, steps
from dashboards.grafana.resolution import time_bin

UID = "menhir-poller"
BIN = time_bin("time")


def per_interval(measures: str) -> str:
    """`measures` (aggregates of the cycle rows) per Grafana interval."""
    return (
        f"SELECT {BIN} AS time, {measures}\nFROM metrics_poll_cycle\n"
        "WHERE $__timeFilter(time)\nGROUP BY 1\nORDER BY 1"
    )


def cycle_duration() -> PanelBuilder:
    sql = per_interval(
        'max(duration_s) AS "longest cycle", avg(duration_s) AS "mean cycle",'
        ' max(interval_s) AS "interval"'
    )
    return series("Cycle duration against the interval", sql, unit="s").override_by_name(
        "interval", dashed("red")
    )


def overruns() -> PanelBuilder:
    sql = """SELECT count(*) FILTER (WHERE duration_s > interval_s) AS "overruns"
FROM metrics_poll_cycle
WHERE $__timeFilter(time)"""
    return single("Overrunning cycles", sql).span(8).thresholds(steps((None, "green"), (1, "red")))


def since_last_cycle() -> PanelBuilder:
    sql = """SELECT extract(epoch FROM $__timeTo()::timestamptz - max(time)) AS "since last cycle"
FROM metrics_poll_cycle
WHERE time <= $__timeTo()"""
    return (
        single("Since the last cycle", sql, unit="s")
        .span(8)
        .thresholds(steps((None, "green"), (300, "red")))
    )


def spooled_now() -> PanelBuilder:
    sql = """SELECT coalesce((SELECT spool_batches FROM metrics_poll_cycle
                  WHERE time <= $__timeTo() ORDER BY time DESC LIMIT 1), 0) AS "spooled batches\""""
    return (
        single("Spooled batches (last cycle)", sql)
        .span(8)
        .thresholds(steps((None, "green"), (1, "orange")))
    )


def timeouts() -> PanelBuilder:
    sql = per_interval(
        'sum(timeouts) AS "timeouts", sum(errors) AS "errors", sum(unreachable) AS "unreachable"'
    )
    return series("SNMP timeouts and errors per interval", sql, unit="short")


def spool_depth() -> PanelBuilder:
    sql = per_interval('max(spool_batches) AS "spooled batches"')
    return series("Spool depth (batches waiting for the database)", sql, unit="short")


def devices_and_samples() -> PanelBuilder:
    sql = per_interval('avg(devices) AS "devices", avg(samples) AS "samples"')
    return series("Devices polled and samples written per cycle", sql, unit="short")


def assemble() -> Dashboard:
    return (
        board("Menhir — poller health", UID, since="now-6h", tags=("poller",))
        .with_panel(overruns())
        .with_panel(since_last_cycle())
        .with_panel(spooled_now())
        .with_panel(cycle_duration())
        .with_panel(timeouts())
        .with_panel(spool_depth())
        .with_panel(devices_and_samples())
    )
