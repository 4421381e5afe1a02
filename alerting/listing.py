"""Incidents as plain data: the shape `menhir incidents --json` and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from alerting.models import Incident


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
