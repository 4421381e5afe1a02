"""One establishment (template variable): in/out bit/s against its committed rate, errors, the
quality of each of its links (the prober's RTT, loss and jitter), the status of each of its links,
its incidents as annotations."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import AnnotationQuery, Dashboard

from dashboards.grafana.boards.links import ESTABLISHMENT_ACCESS, ESTABLISHMENT_PROBED
from dashboards.grafana.panels import (
    PanelBuilder,
    board,
    dashed,
    listing,
    series,
    sql_variable,
    timeline,
)
from dashboards.grafana.resolution import (
    PROBE_MEASURES,
    binned,
    probe_source,
    time_bin,
    traffic_totals,
)
from dashboards.grafana.sdk import sql_annotation

UID = "menhir-establishment"
ESTABLISHMENTS = (
    "SELECT id AS __value, code || ' ' || name AS __text FROM inventory_establishment ORDER BY code"
)
# The committed rate of the establishment's active primary access (what the contract promises).
COMMITTED = (
    "(SELECT sum({column}) FROM inventory_link WHERE establishment_id = $establishment"
    " AND role = 'primary' AND status = 'active')"
)
INCIDENTS_OF_SITE = """FROM alerting_incident i
JOIN alerting_incidentimpact p ON p.incident_id = i.id
WHERE p.establishment_id = $establishment
  AND i.start <= $__timeTo() AND coalesce(i."end", 'infinity') >= $__timeFrom()"""


def throughput() -> PanelBuilder:
    committed = (
        f',\n       {COMMITTED.format(column="committed_down_bps")} AS "committed down",\n'
        f'       {COMMITTED.format(column="committed_up_bps")} AS "committed up"'
    )
    sql = traffic_totals(ESTABLISHMENT_ACCESS, "down", "up", committed)
    return (
        series("Throughput (down = received by the site) and committed rate", sql)
        .span(24)
        .override_by_name("committed down", dashed("red"))
        .override_by_name("committed up", dashed("orange"))
    )


def errors() -> PanelBuilder:
    measures = "sum(errors) AS errors, sum(discards) AS discards"
    sql = (
        'SELECT time, sum(errors) AS "errors", sum(discards) AS "discards"\n'
        f"FROM (\n{binned(ESTABLISHMENT_ACCESS, measures=measures)}\n) per_interface\n"
        "GROUP BY time\nORDER BY time"
    )
    return series("Errors and discards (both directions)", sql, unit="short")


QUALITY = {  # measure: (title, unit, column)
    "rtt": ("Round-trip time per link (median, active measurement)", "ms", "median RTT"),
    "loss": ("Probe loss per link", "percent", "loss"),
    "jitter": ("Jitter per link (active measurement)", "ms", "jitter"),
}


def quality(measure: str) -> PanelBuilder:
    """One of the quality panels: a series per access link of the site, from its probes."""
    title, unit, column = QUALITY[measure]
    sql = (
        f"SELECT {time_bin('t')} AS time, l.role || ' ' || l.circuit_id AS metric,\n"
        f'       {PROBE_MEASURES[measure]} AS "{column}"\n'
        f"FROM (\n  {probe_source(ESTABLISHMENT_PROBED)}\n) src\n"
        "JOIN inventory_link l ON l.id = src.link_id\n"
        "GROUP BY 1, 2\nORDER BY 1, 2"
    )
    return series(title, sql, unit=unit).span(8)


def link_status() -> PanelBuilder:
    sql = (
        "SELECT p.time, l.role || ' ' || l.circuit_id AS metric, p.up AS \"up\"\nFROM (\n"
        f"{binned(ESTABLISHMENT_ACCESS, measures='avg(up) AS up')}\n) p\n"
        "JOIN inventory_link l ON l.a_interface_id = p.interface_id\n"
        "ORDER BY 1, 2"
    )
    return timeline("Link status (share of the interval up)", sql)


def incident_list() -> PanelBuilder:
    sql = f"""SELECT i.start, i."end", i.severity, i.kind, i.root_name AS "cause",
       p.state, p.imputability, i.ticket_reference AS "ticket"
{INCIDENTS_OF_SITE}
ORDER BY i.start DESC"""
    return listing("Incidents", sql).span(12)


def incidents_annotation() -> AnnotationQuery:
    sql = f"""SELECT i.start AS time, coalesce(i."end", now()) AS timeend,
       i.root_name || ': ' || i.kind || ' (' || p.state || ')' AS text,
       i.severity AS tags
{INCIDENTS_OF_SITE}"""
    return sql_annotation("Incidents", sql, "red")


def assemble() -> Dashboard:
    return (
        board("Menhir — establishment", UID)
        .with_variable(sql_variable("establishment", "Establishment", ESTABLISHMENTS))
        .annotation(incidents_annotation())
        .with_panel(throughput())
        .with_panel(errors())
        .with_panel(incident_list())
        .with_panel(quality("rtt"))
        .with_panel(quality("loss"))
        .with_panel(quality("jitter"))
        .with_panel(link_status())
    )
