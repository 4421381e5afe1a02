"""The inventory's list pages, one small class per model on top of ObjectListView."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from inventory import filter_forms as forms
from inventory import filtersets as fs
from inventory import models as m
from inventory import tables
from inventory.views.listing import InventoryListView


class EstablishmentListView(InventoryListView):
    model = m.Establishment
    filterset_class = fs.EstablishmentFilterSet
    filter_form_class = forms.EstablishmentFilterForm
    columns = tables.ESTABLISHMENT
    default_sort = "code"
    export_name = "establishments"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Establishment.objects.select_related("commune__department", "tenant")


class DeviceListView(InventoryListView):
    model = m.Device
    filterset_class = fs.DeviceFilterSet
    filter_form_class = forms.DeviceFilterForm
    columns = tables.DEVICE
    default_sort = "name"
    export_name = "devices"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Device.objects.select_related("establishment", "pop")


class LinkListView(InventoryListView):
    model = m.Link
    filterset_class = fs.LinkFilterSet
    filter_form_class = forms.LinkFilterForm
    columns = tables.LINK
    default_sort = "circuit_id"
    export_name = "links"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Link.objects.select_related("operator", "establishment", "contract")


class PopListView(InventoryListView):
    model = m.Pop
    filterset_class = fs.PopFilterSet
    filter_form_class = forms.PopFilterForm
    columns = tables.POP
    default_sort = "name"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Pop.objects.select_related("commune__department", "parent")


class OperatorListView(InventoryListView):
    model = m.Operator
    filterset_class = fs.OperatorFilterSet
    filter_form_class = forms.FilterForm
    columns = tables.OPERATOR
    default_sort = "name"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Operator.objects.annotate(
            contract_count=Count("contracts", distinct=True),
            link_count=Count("links", distinct=True),
        )


class ContractListView(InventoryListView):
    model = m.Contract
    filterset_class = fs.ContractFilterSet
    filter_form_class = forms.ContractFilterForm
    columns = tables.CONTRACT
    default_sort = "reference"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Contract.objects.select_related("operator").annotate(
            link_count=Count("links", distinct=True)
        )
