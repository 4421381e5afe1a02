"""Filters of the incident, ticket and maintenance lists (the ticket and maintenance ones shared
by the API and the web pages)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alerting import models as m
from common.filtersets import BaseFilterSet, DatabaseDateTimeFilter
from inventory.models import Pop


class IncidentState(models.TextChoices):
    """The states the incidents list filters on (an acknowledged incident is still open)."""

    OPEN = "open", _("Open")
    UNACKNOWLEDGED = "unacknowledged", _("Open, not acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Open, acknowledged")
    CLOSED = "closed", _("Closed")


STATE_CONDITIONS = {
    IncidentState.OPEN: Q(end__isnull=True),
    IncidentState.UNACKNOWLEDGED: Q(end__isnull=True, acknowledged_at__isnull=True),
    IncidentState.ACKNOWLEDGED: Q(end__isnull=True, acknowledged_at__isnull=False),
    IncidentState.CLOSED: Q(end__isnull=False),
}


class IncidentFilterSet(BaseFilterSet):
    """The incidents list's filters (the web page; the API keeps its own documented query).
    `pop` finds the incidents rooted at the PoP or cutting off a site it serves; `department`
    and `category` are those of an impacted establishment."""

    related_filters = {"operator": "operator__slug"}
    search_fields = ("root_name__icontains", "ticket_reference__icontains")
    state = django_filters.MultipleChoiceFilter(
        choices=IncidentState.choices, method="filter_state", label=_("State")
    )
    pop = django_filters.CharFilter(method="filter_pop", label=_("PoP"), max_length=100)
    department = django_filters.CharFilter(
        field_name="impacts__establishment__commune__department__code",
        distinct=True,
        max_length=3,
        label=_("Department"),
    )
    category = django_filters.CharFilter(
        field_name="impacts__establishment__category",
        distinct=True,
        max_length=40,
        label=_("Category of an impacted site"),
    )

    class Meta:
        model = m.Incident
        fields = ["kind", "severity", "operator", "start", "end", "flapping", "in_maintenance"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """`#123` or `123` finds that incident; any other text searches the root and ticket."""
        number = value.strip().lstrip("#")
        if number.isdigit():
            return queryset.filter(pk=int(number))
        return super().search(queryset, name, value)

    def filter_state(self, queryset: QuerySet[Any], name: str, value: list[str]) -> QuerySet[Any]:
        if not value:
            return queryset
        condition = Q()
        for state in value:
            condition |= STATE_CONDITIONS[IncidentState(state)]
        return queryset.filter(condition)

    def filter_pop(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        pops = Pop.objects.filter(slug=value).values("pk")
        served = Q(impacts__establishment__links__z_interface__device__pop__slug=value)
        return queryset.filter(Q(root_kind="pop", root_id__in=pops) | served).distinct()


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
