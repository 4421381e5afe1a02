"""Serializers of tickets, their suspensions and reopenings, and maintenance windows.

Relations are written by id or natural key (an operator's slug, a PoP's slug, a device's name);
links and incidents by id.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from alerting import models as m
from common.api.serializers import BaseModelSerializer
from inventory.api import serializers as inventory  # noqa: F401  (related objects render)

M = TypeVar("M", bound=models.Model)


class AwareDateTimeField(serializers.DateTimeField):
    """A time must carry its offset: a contract's clocks cannot guess the time zone."""

    default_error_messages = {
        "naive": "A time needs an offset (e.g. +01:00 or Z): {value!r} has none.",
    }

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive", value=value)
        return super().to_internal_value(value)


class AlertingSerializer(BaseModelSerializer[M]):
    """The base serializer, with times that must carry an offset."""

    serializer_field_mapping = {
        **BaseModelSerializer.serializer_field_mapping,
        models.DateTimeField: AwareDateTimeField,
    }


class IncidentBriefSerializer(BaseModelSerializer[m.Incident]):
    """How a ticket shows the incidents it is linked to (the incident API has its own shape)."""

    brief_fields = ("kind", "root_name", "start", "end")

    class Meta:
        model = m.Incident
        fields = ("kind", "root_name", "start", "end")


class TicketSuspensionSerializer(AlertingSerializer[m.TicketSuspension]):
    brief_fields = ("start", "end", "decision")

    class Meta:
        model = m.TicketSuspension
        fields = ("ticket", "start", "end", "reason", "decision")


class TicketReopeningSerializer(AlertingSerializer[m.TicketReopening]):
    brief_fields = ("at", "restored_at")

    class Meta:
        model = m.TicketReopening
        fields = ("ticket", "at", "restored_at", "reason")


class _SuspensionRow(serializers.ModelSerializer[m.TicketSuspension]):
    class Meta:
        model = m.TicketSuspension
        fields = ("id", "start", "end", "reason", "decision")


class _ReopeningRow(serializers.ModelSerializer[m.TicketReopening]):
    class Meta:
        model = m.TicketReopening
        fields = ("id", "at", "restored_at", "reason")


class TicketSerializer(AlertingSerializer[m.Ticket]):
    brief_fields = ("reference", "opened_at", "restored_at")
    clean_exclude = ("incidents",)
    suspensions = _SuspensionRow(many=True, read_only=True)
    reopenings = _ReopeningRow(many=True, read_only=True)

    class Meta:
        model = m.Ticket
        fields = (
            "operator",
            "reference",
            "link",
            "establishment",
            "opened_at",
            "fault_start",
            "acknowledged_at",
            "restored_at",
            "closed_at",
            "cause",
            "imputability",
            "incidents",
            "notes",
            "suspensions",
            "reopenings",
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        operator = attrs.get("operator") or getattr(self.instance, "operator", None)
        for incident in attrs.get("incidents", []):
            if incident.operator_id not in (None, getattr(operator, "pk", None)):
                raise serializers.ValidationError(
                    {"incidents": f"Incident #{incident.pk} is another operator's."}
                )
        return attrs


class MaintenanceWindowSerializer(AlertingSerializer[m.MaintenanceWindow]):
    brief_fields = ("title", "planned_start", "planned_end")

    class Meta:
        model = m.MaintenanceWindow
        fields = (
            "title",
            "reference",
            "operator",
            "pops",
            "devices",
            "links",
            "planned_start",
            "planned_end",
            "notified_at",
            "curative",
            "description",
            "created_by",
        )
        read_only_fields = ("created_by",)
