"""Incidents as the alerting engine records them (root, impacts), for the pages that show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerting.models import Incident, IncidentImpact


def incident(
    root: Any,
    *,
    start: datetime,
    end: datetime | None = None,
    isolated: tuple[Any, ...] = (),
    degraded: tuple[Any, ...] = (),
    kind: str | None = None,
    operator: Any = None,
    in_maintenance: bool = False,
    imputability: str = "operator",
) -> Incident:
    """An incident rooted at a PoP, a device or a link (an inventory object) with its impacts."""
    root_kind = {"Pop": "pop", "Device": "device", "Link": "link"}[type(root).__name__]
    default_kind = {"pop": "pop_down", "device": "device_down", "link": "access_down"}[root_kind]
    made = Incident.objects.create(
        kind=kind or default_kind, severity="major", element_key=f"{root_kind}:{root.pk}",
        root_kind=root_kind, root_id=root.pk, root_name=str(root), operator=operator,
        start=start, end=end, detected_at=start, impacted_count=len(isolated),
        degraded_count=len(degraded), in_maintenance=in_maintenance,
    )  # fmt: skip
    IncidentImpact.objects.bulk_create(
        [IncidentImpact(incident=made, establishment=s, state="isolated",
                        imputability=imputability) for s in isolated]
        + [IncidentImpact(incident=made, establishment=s, state="degraded",
                          imputability=imputability) for s in degraded]
    )  # fmt: skip
    return made
