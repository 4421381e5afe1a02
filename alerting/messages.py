"""The words of a page: subject, text and webhook payload of an incident notification."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from alerting.listing import as_dict
from alerting.models import Incident
from alerting.notifiers.base import Message


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


def render(incident: Incident, kind: str, ack_url: str | None) -> Message:
    what = f"{incident.get_kind_display()}: {incident.root_name}"
    if kind == "recovery":
        subject = f"[Menhir] RECOVERED #{incident.pk} {what}"
    elif kind == "escalation":
        subject = f"[Menhir] ESCALATION #{incident.pk} {what} — not acknowledged"
    else:
        subject = f"[Menhir] {incident.severity.upper()} #{incident.pk} {what}"
    if incident.impacted_count or not incident.degraded_count:
        subject += f" — {incident.impacted_count} establishments cut off"
    else:  # saturation, error spikes, lost redundancy: nobody is cut off
        subject += f" — {incident.degraded_count} establishments degraded"
    by_category = ", ".join(f"{k}: {v}" for k, v in sorted(incident.impacted_by_category.items()))
    responsible = incident.operator.name if incident.operator else "the syndicate (own element)"
    lines = [
        what,
        f"Severity: {incident.get_severity_display()}",
        f"Responsible: {responsible}",
        f"Since: {_when(incident.start)}",
        f"Recovered: {_when(incident.end)}" if incident.end else "Still open.",
        f"Establishments cut off: {incident.impacted_count} ({by_category or 'none'})",
        f"Establishments degraded (on backup): {incident.degraded_count}",
    ]
    if ack_url and kind != "recovery":
        lines += ["", f"Acknowledge (no login needed, single use): {ack_url}"]
    details = as_dict(incident)
    details.pop("pages_sent", None)  # what the receiver is being sent is not yet counted
    details["impacted_by_category"] = incident.impacted_by_category
    payload = {
        "event": kind,
        "incident": details,
        "ack_url": ack_url if kind != "recovery" else None,
    }
    return Message(
        kind=kind, incident_id=incident.pk, subject=subject, text="\n".join(lines), payload=payload
    )
