"""A PoP: the aggregate throughput of its access links and each access on its own."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from dashboards.grafana.boards.links import POP_ACCESS
from dashboards.grafana.panels import PanelBuilder, board, listing, series, sql_variable
from dashboards.grafana.resolution import RATES, binned, traffic_totals

UID = "menhir-pop"
POPS = "SELECT id AS __value, name AS __text FROM inventory_pop ORDER BY name"


def aggregate_throughput() -> PanelBuilder:
    sql = traffic_totals(POP_ACCESS, "down", "up")
    return series("Access traffic through the PoP (sum)", sql).span(24)


def _per_access(column: str, name: str) -> str:
    """One series per access link (named by site code and role), `column` of the samples."""
    return (
        "SELECT p.time, coalesce(e.code, l.circuit_id) || ' ' || l.role AS metric,"
        f' p.{column} AS "{name}"\nFROM (\n'
        f"{binned(POP_ACCESS, measures=RATES)}\n) p\n"
        "JOIN inventory_link l ON l.a_interface_id = p.interface_id\n"
        "LEFT JOIN inventory_establishment e ON e.id = l.establishment_id\n"
        "ORDER BY 1, 2"
    )


def per_access_down() -> PanelBuilder:
    return series("Down bit/s per access", _per_access("in_bps", "down"))


def per_access_up() -> PanelBuilder:
    return series("Up bit/s per access", _per_access("out_bps", "up"))


def access_links() -> PanelBuilder:
    sql = """SELECT coalesce(e.code, '') AS "site", coalesce(e.name, '') AS "establishment",
       l.circuit_id AS "circuit", l.role, l.technology, o.name AS "operator",
       l.committed_down_bps AS "committed down", l.committed_up_bps AS "committed up"
FROM inventory_link l
JOIN inventory_interface z ON z.id = l.z_interface_id
JOIN inventory_device d ON d.id = z.device_id
JOIN inventory_operator o ON o.id = l.operator_id
LEFT JOIN inventory_establishment e ON e.id = l.establishment_id
WHERE d.pop_id = $pop AND l.role <> 'backbone'
ORDER BY 1, 4"""
    return listing("Access links of the PoP", sql)


def assemble() -> Dashboard:
    return (
        board("Menhir — PoP", UID)
        .with_variable(sql_variable("pop", "PoP", POPS))
        .with_panel(aggregate_throughput())
        .with_panel(per_access_down())
        .with_panel(per_access_up())
        .with_panel(access_links())
    )
