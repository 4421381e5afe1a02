"""Side effects on tickets from the incident side: recording an operator's ticket reference on an
incident links the ticket of that reference, and the incident's timeline says so."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alerting.models import Incident, IncidentEvent, Ticket


def link_ticket(incident: Incident, reference: str, who: str) -> Ticket | None:
    """Set the incident's ticket reference; link the operator's ticket of that reference when it
    is known (it may be entered or imported later: then it is linked by `link_by_reference`)."""
    reference = reference.strip()
    with transaction.atomic():
        incident.ticket_reference = reference
        incident.save(update_fields=["ticket_reference"])
        ticket = None
        if incident.operator_id is not None:
            ticket = Ticket.objects.filter(
                operator_id=incident.operator_id, reference=reference
            ).first()
        if ticket is not None:
            ticket.incidents.add(incident)
        detail = f"operator ticket {reference} by {who}"
        detail += " (linked)" if ticket is not None else " (not yet known: linked when entered)"
        IncidentEvent.objects.create(
            incident=incident, time=timezone.now(), kind="ticket", detail=detail
        )
    return ticket


def link_by_reference(ticket: Ticket) -> int:
    """Link a new or imported ticket to the incidents that already carry its reference."""
    incidents = Incident.objects.filter(
        operator_id=ticket.operator_id, ticket_reference=ticket.reference
    ).exclude(tickets=ticket)
    found = list(incidents)
    if found:
        ticket.incidents.add(*found)
    return len(found)
