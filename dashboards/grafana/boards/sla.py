"""Operators and service levels: the SLA engine's monthly reports (exact, the figures the
syndicate signs: `sla_report`, its results and penalty lines), and a live reading of the current
month from incidents with their impacts (alerting), service classes and contracts (inventory).

The live panels are approximations, stated on them: downtime is the wall-clock overlap of the
incidents that cut an establishment off (maintenance windows excluded), GTR is measured on the
wall clock, not on each class's business-hours clock (docs/sla.md).
"""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard
from grafana_foundation_sdk.models import dashboard

from dashboards.grafana.panels import PanelBuilder, board, listing, single, steps

UID = "menhir-sla"
RANGE_S = "extract(epoch FROM $__timeTo()::timestamptz - $__timeFrom()::timestamptz)"
# An establishment's class: the service class of its active primary access link.
PRIMARY = "l.role = 'primary' AND l.status = 'active'"


def availability_by_class() -> PanelBuilder:
    sql = f"""WITH classes AS (
  SELECT sc.id, o.name AS operator, c.reference AS contract, sc.name AS class,
         sc.availability_target_pct AS target, count(DISTINCT l.establishment_id) AS sites
  FROM inventory_serviceclass sc
  JOIN inventory_contract c ON c.id = sc.contract_id
  JOIN inventory_operator o ON o.id = c.operator_id
  JOIN inventory_link l ON l.service_class_id = sc.id AND {PRIMARY}
  GROUP BY 1, 2, 3, 4, 5
), down AS (
  SELECT l.service_class_id AS id,
         sum(extract(epoch FROM least(coalesce(i."end", 'infinity'), $__timeTo()::timestamptz)
                              - greatest(i.start, $__timeFrom()::timestamptz))) AS seconds
  FROM alerting_incidentimpact p
  JOIN alerting_incident i ON i.id = p.incident_id
  JOIN inventory_link l ON l.establishment_id = p.establishment_id AND {PRIMARY}
  WHERE p.state = 'isolated' AND NOT i.in_maintenance
    AND i.start < $__timeTo() AND coalesce(i."end", 'infinity') > $__timeFrom()
  GROUP BY 1
)
SELECT operator, contract, class, sites, target AS "target",
       100 * (1 - coalesce(d.seconds, 0) / (sites * {RANGE_S})) AS "availability",
       coalesce(d.seconds, 0) / 3600 AS "downtime (site-hours)"
FROM classes LEFT JOIN down d USING (id)
ORDER BY operator, contract, class"""
    percent = [dashboard.DynamicConfigValue(id_val="unit", value="percent")]
    return (
        listing("Availability by service class (live: incidents, wall clock)", sql)
        .override_by_name("target", percent)
        .override_by_name(
            "availability",
            [
                *percent,
                dashboard.DynamicConfigValue(id_val="decimals", value=3),
                dashboard.DynamicConfigValue(
                    id_val="custom.cellOptions", value={"type": "color-text"}
                ),
                dashboard.DynamicConfigValue(
                    id_val="thresholds",
                    value=steps((None, "red"), (99.0, "orange"), (99.9, "green")).build(),
                ),
            ],
        )
    )


def gtr_compliance() -> PanelBuilder:
    sql = """SELECT o.name AS operator, sc.name AS class, sc.gtr_minutes AS "GTR (min)",
       count(DISTINCT i.id) AS "restored",
       count(DISTINCT i.id) FILTER (
         WHERE extract(epoch FROM i."end" - i.start) <= 60 * sc.gtr_minutes) AS "within GTR",
       100.0 * count(DISTINCT i.id) FILTER (
         WHERE extract(epoch FROM i."end" - i.start) <= 60 * sc.gtr_minutes)
         / count(DISTINCT i.id) AS "compliance"
FROM alerting_incident i
JOIN alerting_incidentimpact p ON p.incident_id = i.id
JOIN inventory_link l ON l.establishment_id = p.establishment_id AND l.role = 'primary'
                     AND l.operator_id = i.operator_id
JOIN inventory_serviceclass sc ON sc.id = l.service_class_id
JOIN inventory_operator o ON o.id = i.operator_id
WHERE i."end" IS NOT NULL AND $__timeFilter(i."end") AND sc.gtr_minutes IS NOT NULL
  AND NOT i.in_maintenance
GROUP BY 1, 2, 3
ORDER BY 1, 2"""
    title = "GTR compliance (live: restored in the range, wall clock)"
    return listing(title, sql).override_by_name(
        "compliance", [dashboard.DynamicConfigValue(id_val="unit", value="percent")]
    )


def penalties_to_date() -> PanelBuilder:
    sql = """SELECT c.reference AS contract, o.name AS operator,
       c.penalties_to_date_ht AS "penalties to date",
       c.amount_total_ht * c.penalty_cap_contract_pct / 100 AS "contract cap",
       c.penalties_to_date_ht / nullif(c.amount_total_ht * c.penalty_cap_contract_pct / 100, 0)
         AS "share of cap"
FROM inventory_contract c
JOIN inventory_operator o ON o.id = c.operator_id
ORDER BY 1"""
    euros = [dashboard.DynamicConfigValue(id_val="unit", value="currencyEUR")]
    return (
        listing("Penalties to date (€ HT, contracts)", sql)
        .override_by_name("penalties to date", euros)
        .override_by_name("contract cap", euros)
        .override_by_name(
            "share of cap", [dashboard.DynamicConfigValue(id_val="unit", value="percentunit")]
        )
    )


# The report months that overlap the range, month bounds on the contracts' Paris clock.
MONTHS_IN_RANGE = """make_date({t}.year, {t}.month, 1)::timestamp
      AT TIME ZONE 'Europe/Paris' < $__timeTo()::timestamptz
  AND (make_date({t}.year, {t}.month, 1) + interval '1 month')::timestamp
      AT TIME ZONE 'Europe/Paris' > $__timeFrom()::timestamptz"""


def monthly_reports() -> PanelBuilder:
    """The latest version of each contract's report for each month in the range."""
    sql = f"""WITH latest AS (
  SELECT DISTINCT ON (r.contract_id, r.year, r.month) r.id, r.contract_id, r.year, r.month,
         r.version, r.provisional, r.output
  FROM sla_report r
  WHERE {MONTHS_IN_RANGE.format(t="r")}
  ORDER BY r.contract_id, r.year, r.month, r.version DESC
)
SELECT to_char(make_date(l.year, l.month, 1), 'YYYY-MM') AS month, c.reference AS contract,
       o.name AS operator, l.version AS version,
       CASE WHEN l.provisional THEN 'provisional' ELSE 'final' END AS "report",
       (SELECT count(*) FROM sla_monthlyresult m WHERE m.report_id = l.id) AS subscriptions,
       (l.output ->> 'fleet_availability_pct')::numeric AS "fleet availability",
       (SELECT count(*) FROM sla_monthlyresult m
        WHERE m.report_id = l.id AND m.total_ht > 0) AS "subscriptions penalised",
       (l.output ->> 'total_ht')::numeric AS "penalties"
FROM latest l
JOIN inventory_contract c ON c.id = l.contract_id
JOIN inventory_operator o ON o.id = c.operator_id
ORDER BY 1 DESC, 2"""
    return (
        listing("Monthly reports (SLA engine: the figures of the signed statements)", sql)
        .override_by_name(
            "fleet availability",
            [
                dashboard.DynamicConfigValue(id_val="unit", value="percent"),
                dashboard.DynamicConfigValue(id_val="decimals", value=3),
            ],
        )
        .override_by_name(
            "penalties", [dashboard.DynamicConfigValue(id_val="unit", value="currencyEUR")]
        )
    )


def penalty_workflow() -> PanelBuilder:
    """Where the months' penalty lines stand: computed, proposed, notified… applied."""
    sql = f"""SELECT c.reference AS contract, p.status AS status, count(*) AS lines,
       sum(p.amount_ht) AS "amount"
FROM sla_penalty p
JOIN inventory_contract c ON c.id = p.contract_id
WHERE {MONTHS_IN_RANGE.format(t="p")}
GROUP BY 1, 2
ORDER BY 1, 2"""
    return listing("Penalty lines by workflow status (months in range)", sql).override_by_name(
        "amount", [dashboard.DynamicConfigValue(id_val="unit", value="currencyEUR")]
    )


def penalties_total() -> PanelBuilder:
    sql = 'SELECT coalesce(sum(penalties_to_date_ht), 0) AS "penalties" FROM inventory_contract'
    return single("Penalties to date, all contracts", sql, unit="currencyEUR")


def incidents_by_operator() -> PanelBuilder:
    sql = """SELECT coalesce(o.name, 'syndicate') AS operator,
       count(*) AS "opened in range",
       count(*) FILTER (WHERE i."end" IS NULL) AS "still open",
       avg(extract(epoch FROM i."end" - i.start)) FILTER (WHERE i."end" IS NOT NULL)
         AS "mean time to restore"
FROM alerting_incident i
LEFT JOIN inventory_operator o ON o.id = i.operator_id
WHERE $__timeFilter(i.start)
GROUP BY 1
ORDER BY 1"""
    return (
        listing("Incidents by operator", sql)
        .span(18)
        .override_by_name(
            "mean time to restore", [dashboard.DynamicConfigValue(id_val="unit", value="s")]
        )
    )


def assemble() -> Dashboard:
    return (
        board(
            "Menhir — operators and SLA",
            UID,
            since="now/M",
            refresh="5m",
            tags=("sla",),
            timezone="Europe/Paris",
        )
        .with_panel(penalties_total())
        .with_panel(incidents_by_operator())
        .with_panel(monthly_reports())
        .with_panel(penalty_workflow())
        .with_panel(availability_by_class())
        .with_panel(gtr_compliance())
        .with_panel(penalties_to_date())
    )
