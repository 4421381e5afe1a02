"""The Django admin for the SLA: where operators' exclusion claims are entered; reports,
results, penalties and monitoring runs are shown read-only (reports are immutable versions,
penalties move only through their workflow on the report page)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from common.admin import DecisionAdmin
from common.roles import ADMIN, has_role
from sla import models as m


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.ExclusionClaim)
class ExclusionClaimAdmin(DecisionAdmin):
    """Editors enter claims as the operator filed them (pending); deciding one is an admin's
    act, recorded with who and when, exactly as on the report page."""

    list_display = ("link", "start", "end", "type", "decision", "decided_at")
    list_filter = ("decision", "type", "link__contract")
    search_fields = ("link__circuit_id", "reason")
    raw_id_fields = ("link",)
    readonly_fields = ("decided_at", "decided_by")
    admin_only_fields = ("decision",)
    list_select_related = ("link__operator",)

    def is_decided(self, obj: m.ExclusionClaim) -> bool:
        return obj.decision != m.ClaimDecision.PENDING

    def save_model(
        self, request: HttpRequest, obj: m.ExclusionClaim, form: Any, change: bool
    ) -> None:
        if "decision" in form.changed_data:
            if not has_role(request.user, ADMIN):  # the form cannot carry it; never trust that
                raise PermissionDenied("Deciding a claim needs the admin role.")
            decided = obj.decision != m.ClaimDecision.PENDING
            obj.decided_at = datetime.now(UTC) if decided else None
            obj.decided_by = request.user if decided else None  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(m.Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("contract", "year", "month", "version", "provisional", "inputs_hash", "created")
    list_filter = ("contract", "year", "month")
    exclude = ("inputs", "output")


@admin.register(m.Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = ("contract", "year", "month", "link", "type", "ticket", "amount_ht", "status")
    list_filter = ("status", "type", "contract")
    search_fields = ("link__circuit_id", "ticket")
    list_select_related = ("contract", "link__operator")


@admin.register(m.CollectedWindow)
class CollectedWindowAdmin(ReadOnlyAdmin):
    list_display = ("start", "end", "source", "collected_at")
    list_filter = ("source",)


@admin.register(m.MonitoringRun)
class MonitoringRunAdmin(ReadOnlyAdmin):
    list_display = ("link", "start", "end", "state", "third_party", "source")
    list_filter = ("state", "source", "third_party")
    search_fields = ("link__circuit_id",)
    list_select_related = ("link__operator",)
