"""Factories for alerting objects: incidents with their impacted establishments."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from alerting import models as a


class IncidentFactory(DjangoModelFactory[a.Incident]):
    class Meta:
        model = a.Incident

    kind = a.IncidentKind.ACCESS_DOWN
    severity = a.Severity.MAJOR
    element_key = factory.Sequence(lambda n: f"link:{n}")
    root_kind = "link"
    root_id = factory.Sequence(lambda n: n + 1)
    root_name = factory.Sequence(lambda n: f"circuit {n}")
    start = factory.LazyFunction(lambda: dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    detected_at = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=5))
    impacted_count = 1


def incident_on_link(link: object, **overrides: object) -> a.Incident:
    """An open access-link incident on `link`, imputed to its operator, impacting its site."""
    incident = IncidentFactory.create(
        element_key=f"link:{link.pk}",  # type: ignore[attr-defined]
        root_id=link.pk,  # type: ignore[attr-defined]
        root_name=str(link),
        operator=link.operator,  # type: ignore[attr-defined]
        **overrides,
    )
    if link.establishment_id:  # type: ignore[attr-defined]
        a.IncidentImpact.objects.create(
            incident=incident,
            establishment=link.establishment,  # type: ignore[attr-defined]
            state=a.ImpactState.ISOLATED,
        )
    return incident
