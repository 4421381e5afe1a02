"""The report links an outage at the end of the monitoring to its alerting outage, never to a
saturation or quality incident on the same link."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from alerting.models import IncidentKind
from sla.report.loader import outage_incidents
from tests.factories.alerting import IncidentFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 30, 22, 0, tzinfo=dt.UTC)


def _content(link_id: int) -> Any:
    outage = SimpleNamespace(subscription="CIR-1", start=START, end=None)
    return SimpleNamespace(outages=[outage], sites={"CIR-1": SimpleNamespace(link_id=link_id)})


def test_the_outage_is_linked_to_the_access_down_incident_not_the_earlier_latency_one() -> None:
    link_id = 4242
    IncidentFactory.create(
        kind=IncidentKind.LATENCY, root_id=link_id, start=START - dt.timedelta(hours=1)
    )
    down = IncidentFactory.create(
        kind=IncidentKind.ACCESS_DOWN, root_id=link_id, start=START + dt.timedelta(minutes=2)
    )
    assert outage_incidents(_content(link_id)) == {("CIR-1", START): down.pk}


def test_an_outage_with_only_a_saturation_incident_links_to_nothing() -> None:
    IncidentFactory.create(kind=IncidentKind.SATURATION, root_id=77, start=START)
    assert outage_incidents(_content(77)) == {}
