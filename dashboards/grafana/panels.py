"""Panel skeletons shared by the dashboards: each board's functions add a title and the SQL."""

from __future__ import annotations

from grafana_foundation_sdk.builders import stat, statetimeline, table, timeseries
from grafana_foundation_sdk.builders.common import ReduceDataOptions, VizLegendOptions
from grafana_foundation_sdk.builders.dashboard import Dashboard, QueryVariable, ThresholdsConfig
from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.models import common, dashboard

from dashboards.grafana.sdk import DATASOURCE, Sql

BPS = "bps"


def steps(*pairs: tuple[float | None, str]) -> ThresholdsConfig:
    """Absolute thresholds: (None, base colour), (value, colour)…"""
    return (
        ThresholdsConfig()
        .mode(dashboard.ThresholdsMode.ABSOLUTE)
        .steps([dashboard.Threshold(value=v, color=c) for v, c in pairs])
    )


def series(title: str, sql: str, unit: str = BPS) -> timeseries.Panel:
    """A time series read in Grafana's long/wide `time_series` format."""
    return (
        timeseries.Panel()
        .title(title)
        .datasource(DATASOURCE)
        .with_target(Sql(sql).format("time_series"))
        .unit(unit)
        .min(0)
        .span(12)
        .height(8)
        .fill_opacity(10)
        .line_width(1)
        .legend(
            VizLegendOptions()
            .display_mode(common.LegendDisplayMode.TABLE)
            .placement(common.LegendPlacement.BOTTOM)
            .show_legend(True)
            .calcs(["mean", "max", "lastNotNull"])
        )
    )


def single(title: str, sql: str, unit: str = "none") -> stat.Panel:
    """One number: the query answers one row."""
    return (
        stat.Panel()
        .title(title)
        .datasource(DATASOURCE)
        .with_target(Sql(sql).format("table"))
        .unit(unit)
        .span(6)
        .height(4)
        .reduce_options(ReduceDataOptions().calcs(["lastNotNull"]).values(False))
    )


def listing(title: str, sql: str) -> table.Panel:
    return (
        table.Panel()
        .title(title)
        .datasource(DATASOURCE)
        .with_target(Sql(sql).format("table"))
        .span(24)
        .height(9)
    )


def timeline(title: str, sql: str) -> statetimeline.Panel:
    """Share of time up, 0..1 per interval: red down, orange partly, green up."""
    return (
        statetimeline.Panel()
        .title(title)
        .datasource(DATASOURCE)
        .with_target(Sql(sql).format("time_series"))
        .unit("percentunit")
        .min(0)
        .max(1)
        .span(24)
        .height(6)
        .thresholds(steps((None, "red"), (0.01, "orange"), (0.999, "green")))
    )


def sql_variable(name: str, label: str, sql: str) -> QueryVariable:
    """A template variable listed by SQL (`__value`, `__text` columns), refreshed on load."""
    return (
        QueryVariable(name)
        .label(label)
        .datasource(DATASOURCE)
        .query(sql)
        .refresh(dashboard.VariableRefresh.ON_DASHBOARD_LOAD)
        .sort(dashboard.VariableSort.ALPHABETICAL_ASC)
    )


PanelBuilder = Builder[dashboard.Panel]


def dashed(color: str) -> list[dashboard.DynamicConfigValue]:
    """Field overrides drawing a series as a dashed reference line (a committed rate)."""
    return [
        dashboard.DynamicConfigValue(id_val="color", value={"mode": "fixed", "fixedColor": color}),
        dashboard.DynamicConfigValue(
            id_val="custom.lineStyle", value={"fill": "dash", "dash": [10, 10]}
        ),
        dashboard.DynamicConfigValue(id_val="custom.fillOpacity", value=0),
        dashboard.DynamicConfigValue(id_val="custom.lineWidth", value=2),
    ]


def board(
    title: str,
    uid: str,
    *,
    since: str = "now-24h",
    refresh: str = "1m",
    tags: tuple[str, ...] = (),
    timezone: str = "browser",
) -> Dashboard:
    """A Menhir dashboard: stable uid, tagged `menhir`, ending now, refreshed."""
    return (
        Dashboard(title)
        .uid(uid)
        .tags(["menhir", *tags])
        .time(since, "now")
        .refresh(refresh)
        .timezone(timezone)
    )
