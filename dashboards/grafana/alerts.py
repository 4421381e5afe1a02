"""Alert rules and the contact point for sites where Grafana is the pager (rather than, or as
well as, Menhir's own paging): in the body Grafana's alerting provisioning API takes
(`/api/v1/provisioning/alert-rules`, `/api/v1/provisioning/contact-points`).

Each rule queries the Menhir data source (A), reduces to the last value (B) and compares it to a
threshold (C); routed straight to the contact point (`notification_settings`), so the site's
notification policy tree is left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from grafana_foundation_sdk.builders import alerting as alerting_builders
from grafana_foundation_sdk.builders import expr
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import alerting

from dashboards.grafana.boards.overview import LATEST_DEVICE_STATE
from dashboards.grafana.sdk import DATASOURCE_UID, Sql

RULE_GROUP = "menhir"
CONTACT_POINT_UID = "menhir-noc"
CONTACT_POINT_NAME = "Menhir NOC"
EXPRESSIONS = "__expr__"  # Grafana's server-side expressions pseudo data source


@dataclass(frozen=True)
class RuleSpec:
    uid: str
    title: str
    sql: str  # answers one row, one number, for Grafana's "now-10m to now"
    above: float  # fires when the number is greater than this
    for_: str
    severity: str
    summary: str


RULES = (
    RuleSpec(
        "menhir-devices-down",
        "Devices unreachable",
        'SELECT count(*) FILTER (WHERE NOT reachable) AS "devices down"\n'
        f"FROM (\n  {LATEST_DEVICE_STATE}\n) latest",
        0,
        "5m",
        "major",
        "{{ $values.B.Value }} device(s) did not answer their last poll",
    ),
    RuleSpec(
        "menhir-sites-cut-off",
        "Establishments cut off",
        'SELECT count(DISTINCT p.establishment_id) AS "sites cut off"\n'
        "FROM alerting_incidentimpact p JOIN alerting_incident i ON i.id = p.incident_id\n"
        "WHERE i.\"end\" IS NULL AND p.state = 'isolated'",
        0,
        "0s",
        "critical",
        "{{ $values.B.Value }} establishment(s) cut off by open incidents",
    ),
    RuleSpec(
        "menhir-poller-stalled",
        "Poller stalled",
        'SELECT coalesce(extract(epoch FROM now() - max(time)), 1e9) AS "since last cycle"\n'
        "FROM metrics_poll_cycle",
        300,
        "0s",
        "critical",
        "No poll cycle recorded for {{ $values.B.Value }} s",
    ),
    RuleSpec(
        "menhir-poller-overruns",
        "Poll cycles overrunning",
        'SELECT count(*) FILTER (WHERE duration_s > interval_s) AS "overruns"\n'
        "FROM metrics_poll_cycle WHERE time > now() - interval '15 minutes'",
        2,
        "0s",
        "minor",
        "{{ $values.B.Value }} cycles overran their interval in 15 minutes",
    ),
    RuleSpec(
        "menhir-spool-backlog",
        "Samples spooled (database away)",
        "SELECT coalesce((SELECT spool_batches FROM metrics_poll_cycle ORDER BY time DESC"
        ' LIMIT 1), 0) AS "spooled batches"',
        0,
        "15m",
        "major",
        "{{ $values.B.Value }} batches wait in the poller's spool",
    ),
)


def rule(spec: RuleSpec, folder_uid: str) -> alerting.Rule:
    """The rule with the SDK's alerting builders: query A, reduce B, threshold C."""
    query = (
        alerting_builders.Query("A")
        .datasource_uid(DATASOURCE_UID)
        .relative_time_range(alerting.RelativeTimeRange(from_val=600, to=0))
        .model(Sql(spec.sql).format("table"))
    )
    reduce = (
        alerting_builders.Query("B")
        .datasource_uid(EXPRESSIONS)
        .model(expr.TypeReduce().ref_id("B").expression("A").reducer("last"))
    )
    above = expr.ExprTypeThresholdConditions().evaluator(
        expr.ExprTypeThresholdConditionsEvaluator().type("gt").params([spec.above])
    )
    threshold = (
        alerting_builders.Query("C")
        .datasource_uid(EXPRESSIONS)
        .model(expr.TypeThreshold().ref_id("C").expression("B").conditions([above]))
    )
    return (
        alerting_builders.Rule(spec.title)
        .uid(spec.uid)
        .rule_group(RULE_GROUP)
        .folder_uid(folder_uid)
        .org_id(1)
        .condition("C")
        .queries([query, reduce, threshold])
        .no_data_state("OK")
        .exec_err_state("Error")
        .for_val(spec.for_)
        .annotations({"summary": spec.summary})
        .labels({"team": "noc", "severity": spec.severity, "source": "menhir"})
        .is_paused(False)
        .build()
    )


def rule_body(spec: RuleSpec, folder_uid: str, receiver: str | None) -> dict[str, Any]:
    """The provisioned alert rule, as POST/PUT /api/v1/provisioning/alert-rules take it; sent
    straight to `receiver` when given, else routed by the site's notification policies (this
    SDK release has no builder for `notification_settings`, so it is added here)."""
    body: dict[str, Any] = json.loads(json.dumps(rule(spec, folder_uid), cls=JSONEncoder))
    if receiver:
        body["notification_settings"] = {"receiver": receiver}
    return body


def contact_point_body(kind: str, target: str) -> dict[str, Any]:
    """The NOC's contact point: `email` (addresses, `;`-separated) or `webhook` (a URL)."""
    if kind == "email":
        settings: dict[str, Any] = {"addresses": target, "singleEmail": False}
    elif kind == "webhook":
        if not target.startswith(("https://", "http://")):
            raise ValueError(f"a webhook contact point needs an http(s) URL, not {target!r}")
        settings = {"url": target, "httpMethod": "POST"}
    else:
        raise ValueError(f"contact point type must be email or webhook, not {kind!r}")
    if not target.strip():
        raise ValueError("the contact point needs a target")
    return {
        "uid": CONTACT_POINT_UID,
        "name": CONTACT_POINT_NAME,
        "type": kind,
        "settings": settings,
        "disableResolveMessage": False,
    }


def provisioning_document(folder: str = "Menhir") -> dict[str, Any]:
    """The same rules and contact point as a Grafana alerting provisioning file (mounted in
    /etc/grafana/provisioning/alerting); the NOC's address comes from the grafana service's
    environment ($MENHIR_GRAFANA_NOC_EMAIL), never from this repository.

    Grafana expands `$NAME` and `${NAME}` in provisioning files from its environment, so every
    other `$` (the SQL macros, the annotation templates) is written `$$`, as its docs say."""
    rules = []
    for spec in RULES:
        body = rule_body(spec, "", CONTACT_POINT_NAME)
        for key in ("folderUID", "ruleGroup", "orgID"):
            body.pop(key)
        rules.append(escape_dollars(body))
    receiver = contact_point_body("email", "${MENHIR_GRAFANA_NOC_EMAIL}")
    receiver.pop("name")
    return {
        "apiVersion": 1,
        "groups": [
            {"orgId": 1, "name": RULE_GROUP, "folder": folder, "interval": "1m", "rules": rules}
        ],
        "contactPoints": [{"orgId": 1, "name": CONTACT_POINT_NAME, "receivers": [receiver]}],
    }


def escape_dollars(value: Any) -> Any:
    """Every `$` in the strings of a JSON-like value doubled (Grafana's provisioning escape)."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, list):
        return [escape_dollars(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_dollars(v) for k, v in value.items()}
    return value
