"""Alerting models, one module per concern; import them from here."""

from alerting.models.incidents import (
    SEVERITY_RANK,
    AlertRoute,
    Channel,
    ElementState,
    ImpactState,
    Incident,
    IncidentEvent,
    IncidentImpact,
    IncidentKind,
    MicroOutage,
    Notification,
    NotificationKind,
    Severity,
    severity_rank,
)
from alerting.models.maintenance import MaintenanceWindow
from alerting.models.tickets import (
    Decision,
    Imputability,
    Ticket,
    TicketReopening,
    TicketSuspension,
)

__all__ = [
    "SEVERITY_RANK",
    "AlertRoute",
    "Channel",
    "Decision",
    "ElementState",
    "ImpactState",
    "Imputability",
    "Incident",
    "IncidentEvent",
    "IncidentImpact",
    "IncidentKind",
    "MaintenanceWindow",
    "MicroOutage",
    "Notification",
    "NotificationKind",
    "Severity",
    "Ticket",
    "TicketReopening",
    "TicketSuspension",
    "severity_rank",
]
