"""Filters of the ticket and maintenance lists, shared by the API and the web pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from alerting import models as m
from common.filtersets import BaseFilterSet, DatabaseDateTimeFilter


class TicketFilterSet(BaseFilterSet):
    related_filters = {
        "operator": "operator__slug",
        "establishment": "establishment__code",
        "incident": "incidents__id",
    }
    search_fields = ("reference__icontains", "cause__icontains", "establishment__code__iexact")
    closed = django_filters.BooleanFilter(field_name="closed_at", method="filter_set")
    restored = django_filters.BooleanFilter(field_name="restored_at", method="filter_set")

    class Meta:
        model = m.Ticket
        fields = [
            "reference", "operator", "link", "establishment", "opened_at", "acknowledged_at",
            "restored_at", "closed_at", "imputability",
        ]  # fmt: skip

    def filter_set(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        """`closed=true`: the date is set; `closed=false`: it is not."""
        if value is None:
            return queryset
        return queryset.filter(**{f"{name}__isnull": not value})


class TicketSuspensionFilterSet(BaseFilterSet):
    class Meta:
        model = m.TicketSuspension
        fields = ["ticket", "start", "end", "decision"]


class TicketReopeningFilterSet(BaseFilterSet):
    class Meta:
        model = m.TicketReopening
        fields = ["ticket", "at", "restored_at"]


class MaintenanceWindowFilterSet(BaseFilterSet):
    related_filters = {"operator": "operator__slug", "pop": "pops__slug", "device": "devices__name"}
    search_fields = ("title__icontains", "reference__icontains")
    active_at = DatabaseDateTimeFilter(method="filter_active_at")

    class Meta:
        model = m.MaintenanceWindow
        fields = [
            "title", "reference", "operator", "planned_start", "planned_end", "notified_at",
            "curative",
        ]  # fmt: skip

    def filter_active_at(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """The windows whose planned period contains the given instant."""
        if value is None:
            return queryset
        return queryset.filter(Q(planned_start__lte=value) & Q(planned_end__gt=value))
