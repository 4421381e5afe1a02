"""`menhir dashboards push`: the built dashboards, the alert rules and the NOC contact point into
a Grafana, through its HTTP API (grafana-client) with a service-account token.

Idempotent: the folder is found by uid before it is created; dashboards are saved by uid with
`overwrite` (a new version, never a copy); rules and the contact point are looked up by uid and
updated in place (PUT) when present. `X-Disable-Provenance: true` keeps them editable in
Grafana's UI, as Grafana's provisioning API documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError, GrafanaException

from dashboards.grafana.alerts import (
    CONTACT_POINT_NAME,
    CONTACT_POINT_UID,
    RULES,
    contact_point_body,
    rule_body,
)
from dashboards.grafana.render import BOARDS, board_json

NOT_FOUND = 404
DEFAULT_FOLDER = "Menhir"


class PushError(RuntimeError):
    """Grafana refused a request, or could not be reached: what and why, never the token."""


@dataclass
class PushReport:
    folder_uid: str = ""
    folder_created: bool = False
    dashboards: list[str] = field(default_factory=list)
    rules_created: list[str] = field(default_factory=list)
    rules_updated: list[str] = field(default_factory=list)
    contact_point: str = ""  # "created", "updated" or "" when none was asked for


@dataclass(frozen=True)
class Contact:
    kind: str  # email | webhook
    target: str


def folder_uid_for(title: str) -> str:
    """A stable uid from the folder's title (Grafana uids: up to 40 of [a-zA-Z0-9_-])."""
    uid = re.sub(r"[^a-z0-9_-]+", "-", title.lower()).strip("-")[:40]
    if not uid:
        raise ValueError(f"folder title {title!r} gives no usable uid")
    return uid


def connect(url: str, token: str, timeout: float = 30.0) -> GrafanaApi:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"the Grafana URL must start with http:// or https://, not {url!r}")
    if not token:
        raise ValueError("a Grafana service-account token is required")
    return GrafanaApi.from_url(url, credential=token, timeout=timeout)


def push(
    api: GrafanaApi,
    *,
    folder: str = DEFAULT_FOLDER,
    contact: Contact | None = None,
    alerts: bool = True,
) -> PushReport:
    """Everything, in dependency order: folder, dashboards, contact point, rules."""
    contact_body = contact_point_body(contact.kind, contact.target) if contact else None
    report = PushReport(folder_uid=folder_uid_for(folder))
    try:
        report.folder_created = _ensure_folder(api, report.folder_uid, folder)
        for uid in sorted(BOARDS):
            api.dashboard.update_dashboard(
                {
                    "dashboard": board_json(uid),
                    "folderUid": report.folder_uid,
                    "overwrite": True,
                    "message": "menhir dashboards push",
                }
            )
            report.dashboards.append(uid)
        if contact_body is not None:
            report.contact_point = _put_contact_point(api, contact_body)
        if alerts:
            receiver = CONTACT_POINT_NAME if contact_body else None
            for rule in RULES:
                body = rule_body(rule, report.folder_uid, receiver)
                if _exists(lambda uid=rule.uid: api.alertingprovisioning.get_alertrule(uid)):
                    api.alertingprovisioning.update_alertrule(
                        rule.uid, body, disable_provenance=True
                    )
                    report.rules_updated.append(rule.uid)
                else:
                    api.alertingprovisioning.create_alertrule(body, disable_provenance=True)
                    report.rules_created.append(rule.uid)
    except GrafanaException as exc:
        raise PushError(f"Grafana answered {exc.status_code or 'nothing'}: {exc.message}") from exc
    return report


def _exists(get: Any) -> bool:
    try:
        get()
    except GrafanaClientError as exc:
        if exc.status_code == NOT_FOUND:
            return False
        raise
    return True


def _ensure_folder(api: GrafanaApi, uid: str, title: str) -> bool:
    folders = api.folder.get_all_folders()
    if any(f.get("uid") == uid for f in folders):
        return False
    api.folder.create_folder(title, uid=uid)
    return True


def _put_contact_point(api: GrafanaApi, body: dict[str, Any]) -> str:
    existing = api.alertingprovisioning.get_contactpoints(name=CONTACT_POINT_NAME)
    if any(c.get("uid") == CONTACT_POINT_UID for c in existing):
        api.alertingprovisioning.update_contactpoint(
            CONTACT_POINT_UID, body, disable_provenance=True
        )
        return "updated"
    api.alertingprovisioning.create_contactpoint(body, disable_provenance=True)
    return "created"
