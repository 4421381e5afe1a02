"""An operator's export of trouble tickets → Ticket rows (created or updated by reference).

Columns: reference (required), opened_at (required for a new ticket), circuit, establishment,
fault_start, acknowledged_at, restored_at, closed_at, cause, imputability, notes, suspensions,
reopenings.
A column absent from the header leaves that field as it is; an empty cell clears it.
Suspensions (`start/end; …`) arrive as *proposed*: the syndicate decides; a suspension already
recorded with the same times keeps its decision. Reopenings are `at/restored_at; …` (`at/` while
still open). Nothing recorded by hand is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from alerting.importers.cells import Cells
from alerting.importers.files import cell, once_per_file, read_export, save_all, validate
from alerting.models import Imputability, Ticket, TicketReopening, TicketSuspension
from alerting.ticketing import link_by_reference
from inventory.importers.errors import ImportFailed, Location, RowError
from inventory.importers.result import ImportResult
from inventory.models import Establishment, Link, Operator

TIMES = ("opened_at", "fault_start", "acknowledged_at", "restored_at", "closed_at")
TEXTS = {"cause": 300, "notes": 10_000}
COLUMNS = (
    "reference",
    "circuit",
    "establishment",
    *TIMES,
    *TEXTS,
    "imputability",
    "suspensions",
    "reopenings",
)
RELATIONS = ("operator", "link", "establishment", "incidents")
REQUIRED = ("reference",)  # opened_at: for a new ticket (the model says so)


@dataclass
class Planned:
    location: Location
    ticket: Ticket
    created: bool
    changed: bool
    suspensions: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    reopenings: list[tuple[datetime, datetime | None]] = field(default_factory=list)


def import_tickets(
    data: bytes, operator: Operator, *, user: Any = None, tz: ZoneInfo | None = None
) -> ImportResult:
    """Check every row, then save them all, or raise ImportFailed naming every bad cell."""
    rows, errors = read_export(data, COLUMNS, REQUIRED)
    errors += once_per_file(rows, lambda r: cell(r, "reference"), "reference")
    refs = {cell(r, "reference") for r in rows}
    mine = Ticket.objects.filter(operator=operator, reference__in=refs)
    existing = {t.reference: t for t in mine.prefetch_related("suspensions", "reopenings")}
    circuits = {cell(r, "circuit") for r in rows}
    links = {
        k.circuit_id: k for k in Link.objects.filter(operator=operator, circuit_id__in=circuits)
    }
    codes = {cell(r, "establishment") for r in rows}
    sites = {s.code: s for s in Establishment.objects.filter(code__in=codes)}
    plans = []
    for row in rows:
        cells = Cells(row, errors, tz)
        reference = cells.text("reference", required=True, max_length=100)
        ticket = existing.get(reference) or Ticket(operator=operator, reference=reference)
        before = ticket.snapshot() if ticket.pk else None
        _fill(cells, ticket, links, sites, operator)
        plan = Planned(row.location, ticket, ticket.pk is None, False)
        if cells.has("suspensions"):
            plan.suspensions = cells.intervals("suspensions", open_end=False)
        if cells.has("reopenings"):
            plan.reopenings = cells.intervals("reopenings", open_end=True)
        if not cells.failed:
            # relations were resolved above: full_clean need not look them up again
            errors += validate(ticket, row.location, exclude=RELATIONS)
        plan.changed = before != ticket.snapshot()
        plans.append(plan)
    if errors:
        raise ImportFailed(errors)
    return save_all("tickets", lambda: _write(plans), user)


def _fill(
    cells: Cells,
    ticket: Ticket,
    links: dict[str, Link],
    sites: dict[str, Establishment],
    operator: Operator,
) -> None:
    for name in TIMES:
        if cells.has(name):
            setattr(ticket, name, cells.time(name, required=name == "opened_at"))
    for name, length in TEXTS.items():
        if cells.has(name):
            setattr(ticket, name, cells.text(name, max_length=length))
    if cells.has("imputability"):
        ticket.imputability = cells.choice(
            "imputability", Imputability.values, default=Imputability.UNKNOWN
        )
    if cells.has("circuit"):
        circuit = cells.text("circuit", max_length=100)
        ticket.link = links.get(circuit) if circuit else None
        if circuit and ticket.link is None:
            cells.fail("circuit", f"{operator.name} has no circuit {circuit!r}")
    if cells.has("establishment"):
        code = cells.text("establishment", max_length=50)
        ticket.establishment = sites.get(code) if code else None
        if code and ticket.establishment is None:
            cells.fail("establishment", f"no establishment with code {code!r}")
    elif cells.has("circuit") and ticket.link is not None:
        ticket.establishment_id = ticket.link.establishment_id


def _write(plans: list[Planned]) -> tuple[int, int, int]:
    created = updated = 0
    touched = []
    for plan in plans:
        if plan.changed:
            plan.ticket.save()
        if _write_children(plan) or plan.changed:
            touched.append(plan.ticket)
            created += plan.created
            updated += not plan.created
    link_by_reference(*touched)
    return created, updated, len(plans) - created - updated


def _write_children(plan: Planned) -> bool:
    """Add the suspensions and reopenings not yet recorded; True when something changed."""
    ticket, changed = plan.ticket, False
    recorded = [] if plan.created else list(ticket.suspensions.all())  # prefetched
    known = {(s.start, s.end) for s in recorded}
    for start, end in plan.suspensions:
        if end is not None and (start, end) not in known:
            TicketSuspension.objects.create(ticket=ticket, start=start, end=end)
            changed = True
    reopened = {} if plan.created else {r.at: r for r in ticket.reopenings.all()}
    for at, restored in plan.reopenings:
        previous = reopened.get(at)
        if previous is None:
            TicketReopening.objects.create(ticket=ticket, at=at, restored_at=restored)
            changed = True
        elif previous.restored_at != restored:
            previous.restored_at = restored
            previous.save()
            changed = True
    return changed


__all__ = ["COLUMNS", "REQUIRED", "RowError", "import_tickets"]
