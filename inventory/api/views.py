"""Viewsets of the inventory API. Each queryset loads what its serializer renders, so a list
costs the same number of queries for 5 rows or 1,000 (tests/inventory/api/query_counts.json)."""

from __future__ import annotations

from common.api.fields import prefetch_list
from common.api.views import BaseModelViewSet
from core.api.views import ChangeLoggedModelViewSet
from inventory import filtersets as f
from inventory import models as m
from inventory.api import serializers as s

TAGS = prefetch_list("tags")


class DepartmentViewSet(BaseModelViewSet):
    queryset = m.Department.objects.all()
    serializer_class = s.DepartmentSerializer
    filterset_class = f.DepartmentFilterSet


class CommuneViewSet(BaseModelViewSet):
    queryset = m.Commune.objects.select_related("department")
    serializer_class = s.CommuneSerializer
    filterset_class = f.CommuneFilterSet


class TenantViewSet(ChangeLoggedModelViewSet):
    queryset = m.Tenant.objects.prefetch_related(TAGS)
    serializer_class = s.TenantSerializer
    filterset_class = f.TenantFilterSet


class EstablishmentViewSet(ChangeLoggedModelViewSet):
    queryset = m.Establishment.objects.select_related("commune", "tenant").prefetch_related(TAGS)
    serializer_class = s.EstablishmentSerializer
    filterset_class = f.EstablishmentFilterSet


class ContactViewSet(ChangeLoggedModelViewSet):
    queryset = m.Contact.objects.select_related("establishment", "operator")
    serializer_class = s.ContactSerializer
    filterset_class = f.ContactFilterSet


class PopViewSet(ChangeLoggedModelViewSet):
    queryset = m.Pop.objects.select_related("commune", "parent").prefetch_related(TAGS)
    serializer_class = s.PopSerializer
    filterset_class = f.PopFilterSet


class OperatorViewSet(ChangeLoggedModelViewSet):
    queryset = m.Operator.objects.prefetch_related(TAGS)
    serializer_class = s.OperatorSerializer
    filterset_class = f.OperatorFilterSet


class ContractViewSet(ChangeLoggedModelViewSet):
    queryset = m.Contract.objects.select_related("operator").prefetch_related(TAGS)
    serializer_class = s.ContractSerializer
    filterset_class = f.ContractFilterSet


class ServiceClassViewSet(ChangeLoggedModelViewSet):
    queryset = m.ServiceClass.objects.select_related("contract").prefetch_related(TAGS)
    serializer_class = s.ServiceClassSerializer
    filterset_class = f.ServiceClassFilterSet


class SNMPProfileViewSet(ChangeLoggedModelViewSet):
    queryset = m.SNMPProfile.objects.all()
    serializer_class = s.SNMPProfileSerializer
    filterset_class = f.SNMPProfileFilterSet


class DeviceViewSet(ChangeLoggedModelViewSet):
    queryset = m.Device.objects.select_related(
        "establishment", "pop", "snmp_profile"
    ).prefetch_related(TAGS)
    serializer_class = s.DeviceSerializer
    filterset_class = f.DeviceFilterSet


class InterfaceViewSet(ChangeLoggedModelViewSet):
    queryset = m.Interface.objects.select_related("device")
    serializer_class = s.InterfaceSerializer
    filterset_class = f.InterfaceFilterSet


class LinkViewSet(ChangeLoggedModelViewSet):
    queryset = m.Link.objects.select_related(
        "operator",
        "establishment",
        "a_interface__device",
        "z_interface__device",
        "contract",
        "service_class__contract",
    ).prefetch_related(TAGS)
    serializer_class = s.LinkSerializer
    filterset_class = f.LinkFilterSet
