"""Network overview: backbone traffic, the links nearest their committed rate, the links of worst
quality (probes), devices down, open incidents."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard
from grafana_foundation_sdk.models import dashboard

from dashboards.grafana.boards.links import ACCESS_PROBED, ACCESS_WITH_COMMITMENT, BACKBONE
from dashboards.grafana.panels import PanelBuilder, board, listing, series, single, steps
from dashboards.grafana.resolution import (
    PROBE_MEASURES,
    interface_source,
    probe_source,
    time_bin,
    traffic_totals,
)

UID = "menhir-overview"
TOP_N = 10


def backbone_traffic() -> PanelBuilder:
    sql = traffic_totals(BACKBONE, "in", "out")
    return series("Backbone traffic (all backbone links, A ends)", sql).span(24)


def top_saturated_links() -> PanelBuilder:
    # 95th percentile of 5-minute (or coarser) means over the range, against the committed rate.
    sql = f"""WITH per_link AS (
  SELECT l.circuit_id, e.code, e.name, o.name AS operator,
         l.committed_down_bps, l.committed_up_bps,
         percentile_disc(0.95) WITHIN GROUP (ORDER BY src.in_bps) AS p95_down,
         percentile_disc(0.95) WITHIN GROUP (ORDER BY src.out_bps) AS p95_up
  FROM (
  {interface_source(ACCESS_WITH_COMMITMENT, minimum=1)}
  ) src
  JOIN inventory_link l ON l.a_interface_id = src.interface_id
  JOIN inventory_operator o ON o.id = l.operator_id
  LEFT JOIN inventory_establishment e ON e.id = l.establishment_id
  GROUP BY 1, 2, 3, 4, 5, 6
)
SELECT circuit_id AS "circuit", code AS "site", name AS "establishment", operator,
       committed_down_bps AS "committed down", p95_down AS "p95 down",
       committed_up_bps AS "committed up", p95_up AS "p95 up",
       greatest(p95_down / nullif(committed_down_bps, 0),
                p95_up / nullif(committed_up_bps, 0)) AS "utilisation"
FROM per_link
WHERE greatest(p95_down / nullif(committed_down_bps, 0),
               p95_up / nullif(committed_up_bps, 0)) IS NOT NULL
ORDER BY utilisation DESC, circuit_id
LIMIT {TOP_N}"""
    bps = [dashboard.DynamicConfigValue(id_val="unit", value="bps")]
    panel = listing(f"Top {TOP_N} links against their committed rate (p95)", sql)
    for column in ("committed down", "p95 down", "committed up", "p95 up"):
        panel = panel.override_by_name(column, bps)
    return panel.override_by_name(
        "utilisation",
        [
            dashboard.DynamicConfigValue(id_val="unit", value="percentunit"),
            dashboard.DynamicConfigValue(
                id_val="custom.cellOptions", value={"type": "color-background"}
            ),
            dashboard.DynamicConfigValue(
                id_val="thresholds",
                value=steps((None, "green"), (0.8, "orange"), (1.0, "red")).build(),
            ),
        ],
    )


def worst_quality_links() -> PanelBuilder:
    """The links that lost the most probes over the range, then the slowest (median RTT), as
    the home page lists them for the last hour."""
    sql = f"""SELECT l.circuit_id AS "circuit", e.code AS "site", e.name AS "establishment",
       o.name AS "operator", {PROBE_MEASURES["loss"]} AS "loss",
       {PROBE_MEASURES["rtt"]} AS "median RTT", {PROBE_MEASURES["jitter"]} AS "jitter"
FROM (
  {probe_source(ACCESS_PROBED)}
) src
JOIN inventory_link l ON l.id = src.link_id
JOIN inventory_operator o ON o.id = l.operator_id
LEFT JOIN inventory_establishment e ON e.id = l.establishment_id
GROUP BY l.circuit_id, e.code, e.name, o.name
HAVING sum(sent) > 0
ORDER BY 5 DESC, 6 DESC NULLS LAST, 1
LIMIT {TOP_N}"""
    ms = [dashboard.DynamicConfigValue(id_val="unit", value="ms")]
    panel = listing(f"Top {TOP_N} links of worst quality (probe loss, then RTT)", sql)
    return (
        panel.override_by_name("median RTT", ms)
        .override_by_name("jitter", ms)
        .override_by_name("loss", [dashboard.DynamicConfigValue(id_val="unit", value="percent")])
    )


LATEST_DEVICE_STATE = """SELECT DISTINCT ON (device_id) device_id, reachable
  FROM metrics_device_sample
  WHERE time > $__timeTo()::timestamptz - interval '10 minutes' AND time <= $__timeTo()
    AND device_id IN (SELECT id FROM inventory_device WHERE status = 'active')
  ORDER BY device_id, time DESC"""


def devices_down() -> PanelBuilder:
    sql = (
        'SELECT count(*) FILTER (WHERE NOT reachable) AS "devices down"\n'
        f"FROM (\n  {LATEST_DEVICE_STATE}\n) latest"
    )
    return single("Devices down (last poll)", sql).thresholds(steps((None, "green"), (1, "red")))


def devices_polled() -> PanelBuilder:
    sql = f'SELECT count(*) AS "devices polled"\nFROM (\n  {LATEST_DEVICE_STATE}\n) latest'
    return single("Devices polled (last 10 min)", sql)


def open_incidents() -> PanelBuilder:
    sql = """SELECT count(*) AS "open incidents"
FROM alerting_incident WHERE "end" IS NULL"""
    return single("Open incidents", sql).thresholds(steps((None, "green"), (1, "orange")))


def isolated_sites() -> PanelBuilder:
    sql = """SELECT count(DISTINCT p.establishment_id) AS "sites cut off"
FROM alerting_incidentimpact p
JOIN alerting_incident i ON i.id = p.incident_id
WHERE i."end" IS NULL AND p.state = 'isolated'"""
    return single("Establishments cut off", sql).thresholds(steps((None, "green"), (1, "red")))


def unreachable_over_time() -> PanelBuilder:
    sql = f"""SELECT {time_bin("time")} AS time,
       count(DISTINCT device_id) FILTER (WHERE NOT reachable) AS "unreachable"
FROM metrics_device_sample
WHERE $__timeFilter(time)
GROUP BY 1
ORDER BY 1"""
    return series("Unreachable devices", sql, unit="short")


def open_incident_list() -> PanelBuilder:
    sql = """SELECT i.start AS "since", i.severity, i.kind, i.root_name AS "element",
       coalesce(o.name, 'syndicate') AS "operator", i.impacted_count AS "cut off",
       i.degraded_count AS "degraded", i.acknowledged_at IS NOT NULL AS "acknowledged"
FROM alerting_incident i
LEFT JOIN inventory_operator o ON o.id = i.operator_id
WHERE i."end" IS NULL
ORDER BY i.start DESC
LIMIT 50"""
    return listing("Open incidents", sql).span(12)


def assemble() -> Dashboard:
    return (
        board("Menhir — network overview", UID)
        .with_panel(devices_down())
        .with_panel(devices_polled())
        .with_panel(open_incidents())
        .with_panel(isolated_sites())
        .with_panel(backbone_traffic())
        .with_panel(top_saturated_links())
        .with_panel(worst_quality_links())
        .with_panel(unreachable_over_time())
        .with_panel(open_incident_list())
    )
