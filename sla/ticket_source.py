"""The operators' tickets from alerting's Ticket model, as evaluation-file ticket objects.

A ticket the engine would refuse (a fault start after the opening, a reopening before the
previous restoration) must not sink the whole month: the doubtful part is left out, the rest of
the ticket is used, and a data-quality finding says what was dropped and why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from alerting.models import Ticket
from alerting.models.tickets import Decision
from sla.calc.findings import finding
from sla.times import iso_or_none as _iso


class DatabaseTickets:
    """Tickets attached to a subscription (link) of the contract."""

    def __init__(self) -> None:
        self.quality: list[str] = []

    def tickets(
        self, links: dict[int, str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        rows = (
            Ticket.objects.filter(link_id__in=list(links), opened_at__lt=end)
            .filter(
                Q(restored_at__isnull=True)
                | Q(restored_at__gte=start)
                | Q(reopenings__at__gte=start)
            )
            .distinct()
            .prefetch_related("suspensions", "reopenings")
            .order_by("opened_at", "pk")
        )
        return [self._ticket(t, links[t.link_id]) for t in rows if t.link_id is not None]

    def _ticket(self, t: Ticket, subscription: str) -> dict[str, Any]:
        fault_start = t.fault_start
        if fault_start is not None and fault_start > t.opened_at:
            self.quality.append(finding("fault_start_after_opening", ticket=t.reference))
            fault_start = None
        reopenings = []
        previous = t.restored_at
        for r in t.reopenings.all():
            if previous is None or r.at < previous:
                at = f"{r.at:%Y-%m-%d %H:%M}"
                self.quality.append(
                    finding("reopening_before_restoration", ticket=t.reference, at=at)
                )
                continue
            reopenings.append({"at": _iso(r.at), "restored_at": _iso(r.restored_at)})
            previous = r.restored_at
        return {
            "id": t.reference,
            "subscription": subscription,
            "opened_at": _iso(t.opened_at),
            "fault_start": _iso(fault_start),
            "acknowledged_at": _iso(t.acknowledged_at),
            "restored_at": _iso(t.restored_at),
            "imputability": t.imputability,
            "suspensions": [
                {
                    "start": _iso(s.start),
                    "end": _iso(s.end),
                    "accepted": s.decision == Decision.ACCEPTED,
                }
                for s in t.suspensions.all()
                if s.decision != Decision.REJECTED
            ],
            "reopenings": reopenings,
        }
