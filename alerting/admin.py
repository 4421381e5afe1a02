"""The Django admin for tickets and maintenance windows (the pages under /alerting/ are the
everyday editors; the admin is for corrections)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from alerting import models as m


class SuspensionInline(admin.TabularInline[m.TicketSuspension, Any]):
    model = m.TicketSuspension
    extra = 0
    fields = ("start", "end", "reason", "decision")


class ReopeningInline(admin.TabularInline[m.TicketReopening, Any]):
    model = m.TicketReopening
    extra = 0
    fields = ("at", "restored_at", "reason")


@admin.register(m.Ticket)
class TicketAdmin(admin.ModelAdmin[m.Ticket]):
    list_display = (
        "reference",
        "operator",
        "link",
        "establishment",
        "opened_at",
        "acknowledged_at",
        "restored_at",
        "closed_at",
        "imputability",
    )
    list_filter = ("operator", "imputability")
    search_fields = ("reference", "cause", "link__circuit_id", "establishment__code")
    list_select_related = ("operator", "link", "establishment")
    raw_id_fields = ("link", "establishment", "incidents")
    date_hierarchy = "opened_at"
    inlines = (SuspensionInline, ReopeningInline)


@admin.register(m.MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin[m.MaintenanceWindow]):
    list_display = (
        "title",
        "reference",
        "operator",
        "planned_start",
        "planned_end",
        "notified_at",
        "curative",
    )
    list_filter = ("operator", "curative")
    search_fields = ("title", "reference")
    list_select_related = ("operator",)
    raw_id_fields = ("pops", "devices", "links", "created_by")
    date_hierarchy = "planned_start"
