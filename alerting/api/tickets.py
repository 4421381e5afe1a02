"""Tickets, suspensions, reopenings and maintenance windows over the API: CRUD, filters, bulk
writes, CSV export and per-object change history (core's ChangeLoggedModelViewSet). Each queryset
loads what its serializer renders (a link shows as "operator circuit"), so a list costs the same
number of queries for one row or a thousand."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from alerting import filtersets as f
from alerting import models as m
from alerting.api import serializers as s
from common.api.fields import PREFETCH_PREFIX, prefetch_list
from core.api.views import ChangeLoggedModelViewSet
from inventory.models import Link

LINKS = Prefetch(
    "links", Link.objects.select_related("operator"), to_attr=PREFETCH_PREFIX + "links"
)


class TicketViewSet(ChangeLoggedModelViewSet):
    queryset = m.Ticket.objects.select_related(
        "operator", "link__operator", "establishment"
    ).prefetch_related("suspensions", "reopenings", prefetch_list("incidents"))
    serializer_class = s.TicketSerializer
    filterset_class = f.TicketFilterSet


class TicketSuspensionViewSet(ChangeLoggedModelViewSet):
    queryset = m.TicketSuspension.objects.select_related("ticket")
    serializer_class = s.TicketSuspensionSerializer
    filterset_class = f.TicketSuspensionFilterSet


class TicketReopeningViewSet(ChangeLoggedModelViewSet):
    queryset = m.TicketReopening.objects.select_related("ticket")
    serializer_class = s.TicketReopeningSerializer
    filterset_class = f.TicketReopeningFilterSet


class MaintenanceWindowViewSet(ChangeLoggedModelViewSet):
    queryset = m.MaintenanceWindow.objects.select_related(
        "operator", "created_by"
    ).prefetch_related(prefetch_list("pops"), prefetch_list("devices"), LINKS)
    serializer_class = s.MaintenanceWindowSerializer
    filterset_class = f.MaintenanceWindowFilterSet

    def perform_create(self, serializer: Any) -> None:
        serializer.save(created_by=self.request.user)
