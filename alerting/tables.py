"""Columns of the alerting lists: incidents (coloured by severity), tickets, maintenance."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from alerting import models as m
from common.tables import Column
from inventory import formatting


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _elapsed(value: Any) -> str:
    return formatting.duration(value.total_seconds())


def _severity(incident: m.Incident) -> str:
    return format_html(
        '<span class="badge severity-{}">{}</span>',
        incident.severity,
        incident.get_severity_display(),
    )


def _state(incident: m.Incident) -> str:
    if incident.end is not None:
        label, css = pgettext("incident", "Closed"), "closed"
    elif incident.acknowledged_at is not None:
        label, css = pgettext("incident", "Acknowledged"), "acknowledged"
    else:
        label, css = pgettext("incident", "Open"), "open"
    flags = [gettext("flapping")] if incident.flapping else []
    flags += [gettext("maintenance")] if incident.in_maintenance else []
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
    Column("severity", _("Severity"), ("severity_rank", "-start"), render=_severity),
    Column("state", _("State"), render=_state),
    Column("kind", _("Kind"), ("kind", "-start")),
    Column("root_name", _("Root cause"), ("root_name", "-start"), render=_root),
    Column("operator", _("Operator"), ("operator__name", "-start")),
    Column("start", _("Start"), ("start", "id"), format=_date),
    Column("end", _("End"), ("end", "id"), format=_date),
    Column("duration", _("Duration"), ("duration", "id"), format=_elapsed, numeric=True),
    Column("impacted_count", _("Cut off"), ("impacted_count", "id"), numeric=True),
    Column("degraded_count", _("Degraded"), ("degraded_count", "id"), numeric=True),
    Column("acknowledged_at", _("Acknowledged"), ("acknowledged_at", "id"), format=_date),
    Column("ticket_reference", _("Ticket"), render=_ticket),
)


def _scope(window: m.MaintenanceWindow) -> str:
    parts = [
        *(f"PoP {p.name}" for p in window.pops.all()),
        *(d.name for d in window.devices.all()),
        *(link.circuit_id for link in window.links.all()),
    ]
    return ", ".join(parts) or "All of the operator's"


TICKET = (
    Column("reference", _("Reference"), ("reference",), link=True),
    Column("operator", _("Operator"), ("operator__name", "reference")),
    Column("link.circuit_id", _("Circuit"), ("link__circuit_id", "reference")),
    Column("establishment.code", _("Establishment"), ("establishment__code", "reference")),
    Column("opened_at", _("Opened"), ("opened_at", "reference"), format=_date),
    Column("acknowledged_at", _("Acknowledged"), ("acknowledged_at", "reference"), format=_date),
    Column("restored_at", _("Restored (declared)"), ("restored_at", "reference"), format=_date),
    Column("closed_at", _("Closed"), ("closed_at", "reference"), format=_date),
    Column("imputability", _("Imputability"), ("imputability", "reference")),
)

MAINTENANCE = (
    Column("title", _("Title"), ("title", "id")),
    Column("reference", _("Reference"), ("reference", "id")),
    Column("operator", _("Operator"), ("operator__name", "id")),
    Column("scope", _("Scope"), render=_scope),
    Column("planned_start", _("Planned start"), ("planned_start", "id"), format=_date),
    Column("planned_end", _("Planned end"), ("planned_end", "id"), format=_date),
    Column("notified_at", _("Notified"), ("notified_at", "id"), format=_date),
    Column("curative", _("Curative"), ("curative", "id"), format=lambda v: _yes_no(v)),
)


def _yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def _edit_window(window: m.MaintenanceWindow) -> str:
    url = reverse("alerting:maintenance_edit", args=[window.pk])
    return format_html(
        '<a href="{}">{}<span class="visually-hidden"> {}</span></a>', url, gettext("Edit"), window
    )


MAINTENANCE_EDIT = Column("edit", _("Edit"), render=_edit_window)
