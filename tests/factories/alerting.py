"""Factories for alerting objects: tickets, maintenance windows, and incidents as the alerting
engine records them (root, impacts), for the pages and the access rules that show them."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from alerting import models as m
from alerting.models import Incident, IncidentImpact
from tests.factories.inventory import LinkFactory, OperatorFactory

T0 = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


class TicketFactory(DjangoModelFactory[m.Ticket]):
    class Meta:
        model = m.Ticket

    link = factory.SubFactory(LinkFactory)
    operator = factory.LazyAttribute(lambda o: o.link.operator if o.link else OperatorFactory())
    reference = factory.Sequence(lambda n: f"TT{n:06d}")
    opened_at = T0
    imputability = m.Imputability.OPERATOR


class MaintenanceWindowFactory(DjangoModelFactory[m.MaintenanceWindow]):
    class Meta:
        model = m.MaintenanceWindow

    title = factory.Sequence(lambda n: f"Works {n}")
    operator = factory.SubFactory(OperatorFactory)
    planned_start = T0
    planned_end = T0 + dt.timedelta(hours=4)
    notified_at = T0 - dt.timedelta(days=15)


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
        kind=kind or default_kind,
        severity="major",
        element_key=f"{root_kind}:{root.pk}",
        root_kind=root_kind,
        root_id=root.pk,
        root_name=str(root),
        operator=operator,
        start=start,
        end=end,
        detected_at=start,
        impacted_count=len(isolated),
        degraded_count=len(degraded),
        in_maintenance=in_maintenance,
    )
    IncidentImpact.objects.bulk_create(
        [
            IncidentImpact(
                incident=made, establishment=s, state="isolated", imputability=imputability
            )
            for s in isolated
        ]
        + [
            IncidentImpact(
                incident=made, establishment=s, state="degraded", imputability=imputability
            )
            for s in degraded
        ]
    )
    return made


class IncidentFactory(DjangoModelFactory[m.Incident]):
    class Meta:
        model = m.Incident

    kind = m.IncidentKind.ACCESS_DOWN
    severity = m.Severity.MAJOR
    element_key = factory.Sequence(lambda n: f"link:{n}")
    root_kind = "link"
    root_id = factory.Sequence(lambda n: n + 1)
    root_name = factory.Sequence(lambda n: f"circuit {n}")
    start = factory.LazyFunction(lambda: dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    detected_at = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=5))
    impacted_count = 1


def incident_on_link(link: object, **overrides: object) -> m.Incident:
    """An open access-link incident on `link`, imputed to its operator, impacting its site."""
    incident = IncidentFactory.create(
        element_key=f"link:{link.pk}",  # type: ignore[attr-defined]
        root_id=link.pk,  # type: ignore[attr-defined]
        root_name=str(link),
        operator=link.operator,  # type: ignore[attr-defined]
        **overrides,
    )
    if link.establishment_id:  # type: ignore[attr-defined]
        m.IncidentImpact.objects.create(
            incident=incident,
            establishment=link.establishment,  # type: ignore[attr-defined]
            state=m.ImpactState.ISOLATED,
        )
    return incident
