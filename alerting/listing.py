"""Incidents as plain data: the shape `menhir incidents --json` and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from alerting.models import Incident, IncidentEvent
from common.roles import is_operator


def incidents(open_only: bool = False) -> QuerySet[Incident]:
    qs = Incident.objects.select_related("operator").annotate(
        pages_sent=Count(
            "notifications", filter=Q(notifications__sent_at__isnull=False), distinct=True
        )
    )
    if open_only:
        qs = qs.filter(end__isnull=True)
    return qs.order_by("-end", "-start") if not open_only else qs.order_by("-start")


def as_dict(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "kind": incident.kind,
        "severity": incident.severity,
        "root_cause": {
            "kind": incident.root_kind,
            "id": incident.root_id,
            "name": incident.root_name,
        },
        "operator": incident.operator.name if incident.operator else None,
        "start": incident.start.isoformat(),
        "end": incident.end.isoformat() if incident.end else None,
        "impacted_establishments": incident.impacted_count,
        "degraded_establishments": incident.degraded_count,
        "pages_sent": getattr(incident, "pages_sent", 0),
        "acknowledged_at": incident.acknowledged_at.isoformat()
        if incident.acknowledged_at
        else None,
        "acknowledged_by": incident.acknowledged_by or None,
        "flapping": incident.flapping,
        "in_maintenance": incident.in_maintenance,
    }


# The timeline an operator reads (issue 13, finding 3): what happened to its incident, never
# who was paged where (e-mail addresses, webhook URLs, SMTP errors) nor who acknowledged.
OPERATOR_EVENTS = {
    "opened": True,
    "recovered": True,
    "unobserved": True,
    "observed": True,
    "flapping": True,
    "acknowledged": False,
    "ticket": False,
}  # kind → whether its detail is shown; any other kind (pages sent, failures) is internal


def timeline_for(incident: Incident, user: Any) -> list[IncidentEvent]:
    """The incident's events as `user` may read them."""
    events = list(incident.events.all())
    if not is_operator(user):
        return events
    shown = []
    for event in events:
        if event.kind in OPERATOR_EVENTS:
            if not OPERATOR_EVENTS[event.kind]:
                event.detail = ""
            shown.append(event)
    return shown
