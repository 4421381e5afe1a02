from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet

# What an operator account sees of alerting: the objects imputed to its operator (lookup to the
# operator id). Not alert routes: they hold the syndicate's addresses and webhook secrets.
OPERATOR_SCOPES = {
    "Incident": "operator_id",
    "MaintenanceWindow": "operator_id",
    "Ticket": "operator_id",
    "TicketSuspension": "ticket__operator_id",
    "TicketReopening": "ticket__operator_id",
}


class AlertingConfig(AppConfig):
    name = "alerting"

    def ready(self) -> None:
        from common import scoping

        models = {model.__name__: model for model in self.get_models()}
        for name, lookup in OPERATOR_SCOPES.items():
            if name in models:  # tickets arrive with the SLA work; scoped as soon as they exist
                scoping.register(models[name], _by_operator(lookup))


def _by_operator(lookup: str) -> Any:
    def scope(queryset: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
        return queryset.filter(**{lookup: operator_id})

    return scope
