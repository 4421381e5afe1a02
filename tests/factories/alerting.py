"""Factories for tickets and maintenance windows."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from alerting import models as m
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
