"""Columns of the alerting lists: incidents (coloured by severity), tickets, maintenance."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from alerting import models as m
from common.tables import Column
from inventory import formatting


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _elapsed(value: Any) -> str:
    return formatting.duration(value.total_seconds())


def _severity(incident: m.Incident) -> str:
    return format_html(
        '<span class="badge severity-{}">{}</span>', incident.severity,
        incident.get_severity_display(),
    )  # fmt: skip


def _state(incident: m.Incident) -> str:
    if incident.end is not None:
        label, css = "Closed", "closed"
    elif incident.acknowledged_at is not None:
        label, css = "Acknowledged", "acknowledged"
    else:
        label, css = "Open", "open"
    flags = [flag for flag, on in (("flapping", incident.flapping),
                                   ("maintenance", incident.in_maintenance)) if on]  # fmt: skip
    extra = format_html_join("", ' <span class="badge">{}</span>', ((f,) for f in flags))
    return format_html('<span class="badge state-{}">{}</span>{}', css, label, extra)


def _root(incident: m.Incident) -> str:
    url = incident.root_url()
    if url is None:
        return incident.root_name
    return format_html('<a href="{}">{}</a>', url, incident.root_name)


def _ticket(incident: m.Incident) -> str:
    tickets = list(incident.tickets.all())
    if tickets:
        return format_html_join(
            " ", '<a href="{}">{}</a>', ((t.get_absolute_url(), t.reference) for t in tickets)
        )
    return incident.ticket_reference or "—"


INCIDENT = (
    Column("id", "#", ("id",), link=True, numeric=True),
    Column("severity", "Severity", ("severity_rank", "-start"), render=_severity),
    Column("state", "State", render=_state),
    Column("kind", "Kind", ("kind", "-start")),
    Column("root_name", "Root cause", ("root_name", "-start"), render=_root),
    Column("operator", "Operator", ("operator__name", "-start")),
    Column("start", "Start", ("start", "id"), format=_date),
    Column("end", "End", ("end", "id"), format=_date),
    Column("duration", "Duration", ("duration", "id"), format=_elapsed, numeric=True),
    Column("impacted_count", "Cut off", ("impacted_count", "id"), numeric=True),
    Column("degraded_count", "Degraded", ("degraded_count", "id"), numeric=True),
    Column("acknowledged_at", "Acknowledged", ("acknowledged_at", "id"), format=_date),
    Column("ticket_reference", "Ticket", render=_ticket),
)


def _scope(window: m.MaintenanceWindow) -> str:
    parts = [*(f"PoP {p.name}" for p in window.pops.all()),
             *(d.name for d in window.devices.all()),
             *(link.circuit_id for link in window.links.all())]  # fmt: skip
    return ", ".join(parts) or "All of the operator's"


TICKET = (
    Column("reference", "Reference", ("reference",), link=True),
    Column("operator", "Operator", ("operator__name", "reference")),
    Column("link.circuit_id", "Circuit", ("link__circuit_id", "reference")),
    Column("establishment.code", "Establishment", ("establishment__code", "reference")),
    Column("opened_at", "Opened", ("opened_at", "reference"), format=_date),
    Column("acknowledged_at", "Acknowledged", ("acknowledged_at", "reference"), format=_date),
    Column("restored_at", "Restored (declared)", ("restored_at", "reference"), format=_date),
    Column("closed_at", "Closed", ("closed_at", "reference"), format=_date),
    Column("imputability", "Imputability", ("imputability", "reference")),
)

MAINTENANCE = (
    Column("title", "Title", ("title", "id")),
    Column("reference", "Reference", ("reference", "id")),
    Column("operator", "Operator", ("operator__name", "id")),
    Column("scope", "Scope", render=_scope),
    Column("planned_start", "Planned start", ("planned_start", "id"), format=_date),
    Column("planned_end", "Planned end", ("planned_end", "id"), format=_date),
    Column("notified_at", "Notified", ("notified_at", "id"), format=_date),
    Column("curative", "Curative", ("curative", "id"), format=lambda v: "yes" if v else "no"),
)


def _edit_window(window: m.MaintenanceWindow) -> str:
    url = reverse("alerting:maintenance_edit", args=[window.pk])
    return format_html('<a href="{}">Edit<span class="visually-hidden"> {}</span></a>', url, window)


MAINTENANCE_EDIT = Column("edit", "Edit", render=_edit_window)
