"""Filters of every inventory list, shared by the API and the web pages."""

from __future__ import annotations

from common.filtersets import BaseFilterSet
from inventory import models as m


class DepartmentFilterSet(BaseFilterSet):
    search_fields = ("code__iexact", "name__icontains")

    class Meta:
        model = m.Department
        fields = ["code", "name"]


class CommuneFilterSet(BaseFilterSet):
    related_filters = {"department": "department__code"}
    search_fields = ("insee__iexact", "name__icontains")

    class Meta:
        model = m.Commune
        fields = ["insee", "name", "population", "department"]


class TenantFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "slug__icontains")

    class Meta:
        model = m.Tenant
        fields = ["name", "slug"]


class EstablishmentFilterSet(BaseFilterSet):
    related_filters = {
        "commune": "commune__insee",
        "commune__department": "commune__department__code",
        "tenant": "tenant__slug",
        "tag": "tags__slug",
        "pop": "links__z_interface__device__pop__slug",
        "operator": "links__operator__slug",
    }
    operator_relation = ("links__", m.Link, "establishment_id")
    search_fields = (
        "code__icontains",
        "name__icontains",
        "commune__name__icontains",
        "address__icontains",
    )

    class Meta:
        model = m.Establishment
        fields = [
            "code",
            "name",
            "category",
            "status",
            "criticality",
            "commune",
            "tenant",
            "address",
        ]


class ContactFilterSet(BaseFilterSet):
    related_filters = {"establishment": "establishment__code", "operator": "operator__slug"}
    search_fields = ("name__icontains", "email__icontains")

    class Meta:
        model = m.Contact
        fields = ["name", "role", "email", "establishment", "operator"]


class PopFilterSet(BaseFilterSet):
    related_filters = {"commune__department": "commune__department__code", "parent": "parent__slug"}
    search_fields = ("name__icontains", "slug__icontains")

    class Meta:
        model = m.Pop
        fields = ["name", "slug", "kind", "status", "commune", "parent"]


class OperatorFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "slug__icontains")

    class Meta:
        model = m.Operator
        fields = ["name", "slug"]


class ContractFilterSet(BaseFilterSet):
    related_filters = {"operator": "operator__slug"}
    search_fields = ("reference__icontains", "title__icontains", "lot__icontains")

    class Meta:
        model = m.Contract
        fields = ["reference", "title", "lot", "start_date", "end_date", "operator"]


class ServiceClassFilterSet(BaseFilterSet):
    related_filters = {"contract": "contract__reference", "operator": "contract__operator__slug"}
    search_fields = ("name__icontains", "slug__icontains")

    class Meta:
        model = m.ServiceClass
        fields = [
            "name",
            "slug",
            "availability_schedule",
            "gtr_clock",
            "effective_from",
            "contract",
        ]


class SNMPProfileFilterSet(BaseFilterSet):
    search_fields = ("name__icontains",)

    class Meta:
        model = m.SNMPProfile
        fields = ["name", "version"]


class DeviceFilterSet(BaseFilterSet):
    related_filters = {
        "establishment": "establishment__code",
        "pop": "pop__slug",
        "snmp_profile": "snmp_profile__name",
        "commune__department": "establishment__commune__department__code",
        "tag": "tags__slug",
    }
    search_fields = ("name__icontains", "serial__iexact", "management_address__startswith")

    class Meta:
        model = m.Device
        fields = [
            "name", "role", "platform", "vendor", "model", "serial", "status",
            "management_address", "establishment", "pop", "snmp_profile", "probe_method",
        ]  # fmt: skip


class InterfaceFilterSet(BaseFilterSet):
    related_filters = {"device": "device__name", "establishment": "device__establishment__code"}
    search_fields = ("name__icontains", "description__icontains", "device__name__icontains")

    class Meta:
        model = m.Interface
        fields = [
            "name",
            "if_index",
            "type",
            "speed_bps",
            "role",
            "enabled",
            "description",
            "device",
        ]


class LinkFilterSet(BaseFilterSet):
    related_filters = {
        "operator": "operator__slug",
        "establishment": "establishment__code",
        "contract": "contract__reference",
        "service_class": "service_class__slug",
        "pop": "z_interface__device__pop__slug",
        "commune__department": "establishment__commune__department__code",
        "tag": "tags__slug",
    }
    search_fields = (
        "circuit_id__icontains",
        "establishment__name__icontains",
        "establishment__code__iexact",
    )

    class Meta:
        model = m.Link
        fields = [
            "circuit_id", "technology", "role", "status", "committed_down_bps", "committed_up_bps",
            "port_speed_bps", "monthly_fee_ht", "service_start", "service_end", "duct",
            "operator", "establishment", "contract", "service_class", "a_interface", "z_interface",
        ]  # fmt: skip
