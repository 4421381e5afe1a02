"""Alert rules and the contact point for sites where Grafana is the pager (rather than, or as
well as, Menhir's own paging): in the body Grafana's alerting provisioning API takes
(`/api/v1/provisioning/alert-rules`, `/api/v1/provisioning/contact-points`).

Each rule queries the Menhir data source (A), reduces to the last value (B) and compares it to a
threshold (C); routed straight to the contact point (`notification_settings`), so the site's
notification policy tree is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboards.grafana.boards.overview import LATEST_DEVICE_STATE
from dashboards.grafana.sdk import DATASOURCE_UID

RULE_GROUP = "menhir"
CONTACT_POINT_UID = "menhir-noc"
CONTACT_POINT_NAME = "Menhir NOC"


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


def rule_body(rule: RuleSpec, folder_uid: str, receiver: str | None) -> dict[str, Any]:
    """The provisioned alert rule, as POST/PUT /api/v1/provisioning/alert-rules take it; sent
    straight to `receiver` when given, else routed by the site's notification policies."""
    body: dict[str, Any] = {
        "uid": rule.uid,
        "title": rule.title,
        "ruleGroup": RULE_GROUP,
        "folderUID": folder_uid,
        "orgID": 1,
        "condition": "C",
        "data": [
            {
                "refId": "A",
                "relativeTimeRange": {"from": 600, "to": 0},
                "datasourceUid": DATASOURCE_UID,
                "model": {
                    "refId": "A",
                    "editorMode": "code",
                    "format": "table",
                    "rawQuery": True,
                    "rawSql": rule.sql,
                },
            },
            {
                "refId": "B",
                "datasourceUid": "__expr__",
                "model": {"refId": "B", "type": "reduce", "expression": "A", "reducer": "last"},
            },
            {
                "refId": "C",
                "datasourceUid": "__expr__",
                "model": {
                    "refId": "C",
                    "type": "threshold",
                    "expression": "B",
                    "conditions": [{"evaluator": {"type": "gt", "params": [rule.above]}}],
                },
            },
        ],
        "noDataState": "OK",
        "execErrState": "Error",
        "for": rule.for_,
        "annotations": {"summary": rule.summary},
        "labels": {"team": "noc", "severity": rule.severity, "source": "menhir"},
        "isPaused": False,
    }
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
