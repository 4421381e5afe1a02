from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

# What an operator account sees of alerting: the objects imputed to its operator (lookup to the
# operator id). Not alert routes: they hold the syndicate's addresses and webhook secrets.
OPERATOR_SCOPES = {
    "Incident": "operator_id",
    "MaintenanceWindow": "operator_id",
    "Ticket": "operator_id",
    "TicketSuspension": "ticket__operator_id",
    "TicketReopening": "ticket__operator_id",
}
# …and the fields it reads of them (issue 13, findings 3 and 8): never the syndicate's notes,
# who acknowledged (a person's address, a webhook URL), nor who created a window.
OPERATOR_FIELDS = {
    "Incident": (
        "kind", "severity", "root_cause", "root_kind", "root_id", "root_name", "operator",
        "start", "end", "detected_at", "impacted_count", "impacted_establishments",
        "degraded_count", "degraded_establishments", "impacted_by_category", "acknowledged_at",
        "ticket_reference", "tickets", "in_maintenance", "flapping", "reopen_count", "timeline",
        "impacted",
    ),
    "MaintenanceWindow": (
        "title", "reference", "operator", "planned_start", "planned_end", "notified_at",
        "curative", "description", "pops", "devices", "links",
    ),
    "Ticket": (
        "operator", "reference", "link", "establishment", "opened_at", "fault_start",
        "acknowledged_at", "restored_at", "closed_at", "cause", "imputability", "incidents",
        "suspensions", "reopenings",
    ),
    "TicketSuspension": ("ticket", "start", "end", "reason", "decision"),
    "TicketReopening": ("ticket", "at", "restored_at", "reason"),
}  # fmt: skip


class AlertingConfig(AppConfig):
    name = "alerting"
    verbose_name = _("Alerting")

    def ready(self) -> None:
        from common import scoping

        models = {model.__name__: model for model in self.get_models()}
        for name, lookup in OPERATOR_SCOPES.items():
            if name in models:  # tickets arrive with the SLA work; scoped as soon as they exist
                scoping.register(models[name], _by_operator(lookup), OPERATOR_FIELDS[name])


def _by_operator(lookup: str) -> Any:
    def scope(queryset: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
        return queryset.filter(**{lookup: operator_id})

    return scope
