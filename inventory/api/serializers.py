"""Serializers of the inventory API: one per model, the base class does the rest.

Relations are written by id or natural key and read as the related object's brief form
(common.api.serializers). `natural_key` names the field other objects may use to point here.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.api.serializers import BaseModelSerializer
from common.roles import ADMIN, has_role
from core.api.serializers import TagSerializer  # noqa: F401  (tags render through it)
from inventory import models as m


class DepartmentSerializer(BaseModelSerializer[m.Department]):
    natural_key = "code"
    brief_fields = ("name",)

    class Meta:
        model = m.Department
        fields = ("code", "name")


class CommuneSerializer(BaseModelSerializer[m.Commune]):
    natural_key = "insee"
    brief_fields = ("name",)

    class Meta:
        model = m.Commune
        fields = ("insee", "name", "department", "latitude", "longitude", "population")


class TenantSerializer(BaseModelSerializer[m.Tenant]):
    natural_key = "slug"
    brief_fields = ("name",)

    class Meta:
        model = m.Tenant
        fields = ("name", "slug")


class EstablishmentSerializer(BaseModelSerializer[m.Establishment]):
    natural_key = "code"
    brief_fields = ("name",)

    class Meta:
        model = m.Establishment
        fields = (
            "code",
            "name",
            "category",
            "commune",
            "address",
            "latitude",
            "longitude",
            "status",
            "criticality",
            "tenant",
        )


class ContactSerializer(BaseModelSerializer[m.Contact]):
    brief_fields = ("name", "role")

    class Meta:
        model = m.Contact
        fields = ("name", "role", "email", "phone", "establishment", "operator")


class PopSerializer(BaseModelSerializer[m.Pop]):
    natural_key = "slug"
    brief_fields = ("name",)

    class Meta:
        model = m.Pop
        fields = (
            "name",
            "slug",
            "kind",
            "commune",
            "parent",
            "address",
            "latitude",
            "longitude",
            "status",
        )


class OperatorSerializer(BaseModelSerializer[m.Operator]):
    natural_key = "slug"
    brief_fields = ("name",)

    class Meta:
        model = m.Operator
        fields = ("name", "slug", "noc_email", "noc_phone", "portal_url")


class ContractSerializer(BaseModelSerializer[m.Contract]):
    natural_key = "reference"
    brief_fields = ("title",)

    class Meta:
        model = m.Contract
        fields = (
            "reference",
            "operator",
            "title",
            "lot",
            "start_date",
            "end_date",
            "amount_total_ht",
            "penalty_cap_contract_pct",
            "exemption_threshold_ht",
            "penalties_to_date_ht",
            "timezone",
            "business_days",
            "business_start",
            "business_end",
            "maintenance_notice_days",
            "reopen_window_hours",
            "skew_tolerance_seconds",
            "detector_n_down",
            "detector_n_up",
        )


class ServiceClassSerializer(BaseModelSerializer[m.ServiceClass]):
    brief_fields = ("name", "slug", "effective_from")

    class Meta:
        model = m.ServiceClass
        fields = (
            "contract",
            "name",
            "slug",
            "effective_from",
            "effective_to",
            "availability_schedule",
            "availability_target_pct",
            "availability_tiers",
            "gtr_minutes",
            "gtr_clock",
            "gtr_penalty_pct_per_started_hour",
            "gti_minutes",
            "gti_clock",
            "gti_penalty_pct",
            "monthly_cap_pct",
            "saturation_alert_pct",
            "kpi_rtt_ms",
            "kpi_loss_pct",
            "kpi_jitter_ms",
            "kpi_penalty_pct",
            "kpi_min_coverage_pct",
        )


class SNMPProfileSerializer(BaseModelSerializer[m.SNMPProfile]):
    """`community`, `auth_key` and `priv_key` are write-only; `<name>_set` says if one is set."""

    natural_key = "name"
    brief_fields = ("version",)

    class Meta:
        model = m.SNMPProfile
        fields = (
            "name",
            "version",
            "community",
            "username",
            "auth_protocol",
            "auth_key",
            "priv_protocol",
            "priv_key",
            "port",
            "timeout_ms",
            "retries",
            "allowed_networks",
        )

    def validate_allowed_networks(self, value: Any) -> Any:
        """Where the profile's secrets may go is an administrator's decision (docs/security.md)."""
        request = self.context.get("request")
        current = self.instance.allowed_networks if self.instance is not None else []
        if value != current and not has_role(getattr(request, "user", None), ADMIN):
            raise serializers.ValidationError(
                "Only an administrator sets where a profile's secrets may be sent."
            )
        return value


class DeviceSerializer(BaseModelSerializer[m.Device]):
    natural_key = "name"
    brief_fields = ("role",)

    class Meta:
        model = m.Device
        fields = (
            "name",
            "role",
            "platform",
            "vendor",
            "model",
            "serial",
            "establishment",
            "pop",
            "management_address",
            "snmp_profile",
            "status",
            "probe_method",
        )


class InterfaceSerializer(BaseModelSerializer[m.Interface]):
    brief_fields = ("name",)

    class Meta:
        model = m.Interface
        fields = (
            "device",
            "name",
            "if_index",
            "type",
            "speed_bps",
            "role",
            "enabled",
            "description",
        )


class LinkSerializer(BaseModelSerializer[m.Link]):
    brief_fields = ("circuit_id", "role")

    class Meta:
        model = m.Link
        fields = (
            "operator",
            "circuit_id",
            "technology",
            "role",
            "status",
            "establishment",
            "a_interface",
            "z_interface",
            "committed_down_bps",
            "committed_up_bps",
            "port_speed_bps",
            "contract",
            "service_class",
            "monthly_fee_ht",
            "service_start",
            "service_end",
            "duct",
        )
