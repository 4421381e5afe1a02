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


def link_by_reference(*tickets: Ticket) -> int:
    """Link new or imported tickets to the incidents that already carry their reference (one
    query for all of them); returns how many links were added."""
    if not tickets:
        return 0
    wanted = {(t.operator_id, t.reference): t for t in tickets}
    found = Incident.objects.filter(
        operator_id__in={t.operator_id for t in tickets},
        ticket_reference__in={t.reference for t in tickets},
    ).values_list("pk", "operator_id", "ticket_reference")
    through = Ticket.incidents.through
    linked = set(
        through.objects.filter(ticket_id__in=[t.pk for t in tickets]).values_list(
            "ticket_id", "incident_id"
        )
    )
    pairs = {
        (wanted[(operator, reference)].pk, pk)
        for pk, operator, reference in found
        if (operator, reference) in wanted
    }
    rows = [through(ticket_id=t, incident_id=i) for t, i in sorted(pairs - linked)]
    through.objects.bulk_create(rows)
    return len(rows)
