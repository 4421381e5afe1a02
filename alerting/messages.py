"""The words of a page: subject, plain text, HTML and webhook payload of an incident
notification, written for the person on call: what failed and where (the root cause with its
PoP, link and operator), which critical establishments are cut off (hospitals first: the
criticality the inventory holds), human labels instead of codes, a link to the incident page,
the acknowledgement link, and in a recovery notice how long it lasted.

The text and HTML parts come from the templates `alerting/email/incident.{txt,html}`, from one
context (`context()`), so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from alerting.listing import as_dict
from alerting.models import Incident, IncidentKind
from alerting.notifiers.base import Message
from inventory import formatting
from inventory.choices import Criticality, EstablishmentCategory
from inventory.models import Device, Link, Pop

CRITICAL = (Criticality.CRITICAL, Criticality.HIGH)
NAMED_SITES = 15  # critical establishments named in a page; the rest are counted


@dataclass(frozen=True)
class Root:
    """The failed element as the reader knows it: a PoP, a device at a PoP, a link."""

    label: str  # "PoP Lannion", "Device lannion-rtr1", "Link CIR-000123"
    pop: str  # the PoP concerned, "" when none
    detail: str  # technology, ends, operator…
    url: str


def _when(value: datetime | None) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} {local:%Z}"


def _absolute(path: str) -> str:
    return f"{settings.MENHIR_BASE_URL.rstrip('/')}{path}"


def _root(incident: Incident) -> Root:
    kind, pk = incident.root_kind, incident.root_id
    if kind == "pop":
        pop = Pop.objects.filter(pk=pk).select_related("commune").first()
        if pop is not None:
            return Root(
                _("PoP %(name)s") % {"name": pop.name},
                pop.name,
                f"{pop.get_kind_display()}, {pop.commune.name}",
                _absolute(pop.get_absolute_url()),
            )
    elif kind == "device":
        device = Device.objects.filter(pk=pk).select_related("pop", "establishment").first()
        if device is not None:
            where = device.pop.name if device.pop else ""
            site = device.establishment or _("no site")
            at = (
                _("at PoP %(pop)s") % {"pop": where} if where else _("at %(site)s") % {"site": site}
            )
            return Root(
                _("Device %(name)s") % {"name": device.name},
                where,
                f"{device.get_role_display()} {at}",
                _absolute(device.get_absolute_url()),
            )
    elif kind == "link":
        link = (
            Link.objects.filter(pk=pk)
            .select_related("operator", "establishment", "z_interface__device__pop")
            .first()
        )
        if link is not None:
            z = link.z_interface
            at = z.device.pop.name if z is not None and z.device.pop else ""
            site = link.establishment.name if link.establishment else _("backbone")
            detail = _("%(technology)s of %(operator)s: %(site)s") % {
                "technology": link.get_technology_display(),
                "operator": link.operator.name,
                "site": site,
            }
            return Root(
                _("Link %(circuit)s") % {"circuit": link.circuit_id},
                at,
                detail + (f" — PoP {at}" if at else ""),
                _absolute(link.get_absolute_url()),
            )
    return Root(incident.root_name, "", "", "")


def _critical_sites(incident: Incident) -> tuple[list[dict[str, str]], int]:
    impacts = (
        incident.impacts.filter(establishment__criticality__in=CRITICAL)
        .select_related("establishment__commune")
        .order_by("establishment__criticality", "state", "establishment__name")
    )
    total = impacts.count()
    named = [
        {
            "name": i.establishment.name,
            "code": i.establishment.code,
            "category": i.establishment.get_category_display(),
            "commune": i.establishment.commune.name,
            "criticality": i.establishment.get_criticality_display(),
            "state": _("cut off") if i.state == "isolated" else _("degraded"),
            "url": _absolute(i.establishment.get_absolute_url()),
        }
        for i in impacts[:NAMED_SITES]
    ]
    return named, total


def _categories(incident: Incident) -> list[tuple[str, int]]:
    labels = dict(EstablishmentCategory.choices)
    counts = incident.impacted_by_category.items()
    return sorted(((labels.get(k, k), v) for k, v in counts), key=lambda kv: (-kv[1], kv[0]))


def _subject(incident: Incident, kind: str, what: str, duration: str) -> str:
    values = {"id": incident.pk, "what": what}
    if kind == "recovery":
        subject = _("[Menhir] RECOVERED #%(id)s %(what)s") % values
    elif kind == "escalation":
        subject = _("[Menhir] ESCALATION #%(id)s %(what)s — not acknowledged") % values
    else:
        severity = str(incident.get_severity_display()).upper()
        subject = f"[Menhir] {severity} #{incident.pk} {what}"
    if incident.kind == IncidentKind.MONITORING_FAULT:
        pass  # the device is up: nobody is cut off or degraded, Menhir is blind to it
    elif incident.impacted_count or not incident.degraded_count:
        subject += " — " + _("%(n)s establishments cut off") % {"n": incident.impacted_count}
    else:  # saturation, error spikes, lost redundancy: nobody is cut off
        subject += " — " + _("%(n)s establishments degraded") % {"n": incident.degraded_count}
    if kind == "recovery" and incident.end is not None:
        lasted = formatting.duration((incident.end - incident.start).total_seconds())
        subject += " — " + _("lasted %(duration)s") % {"duration": lasted}
    return subject


def context(incident: Incident, kind: str, ack_url: str | None) -> dict[str, Any]:
    """Everything both parts of a notification say."""
    root = _root(incident)
    critical, critical_total = _critical_sites(incident)
    lasted = incident.end - incident.start if incident.end else None
    return {
        "incident": incident,
        "kind": kind,
        "what": f"{incident.get_kind_display()}: {incident.root_name}",
        "root": root,
        "responsible": incident.operator.name
        if incident.operator
        else _("the syndicate (its own element)"),
        "since": _when(incident.start),
        "recovered": _when(incident.end) if incident.end else "",
        "duration": formatting.duration(lasted.total_seconds()) if lasted else "",
        "categories": _categories(incident),
        "critical": critical,
        "critical_more": critical_total - len(critical),
        "incident_url": _absolute(incident.get_absolute_url()),
        "ack_url": ack_url if kind != "recovery" else None,
    }


def render(
    incident: Incident, kind: str, ack_url: str | None, language: str | None = None
) -> Message:
    """The notification in `language` (the route's; the site's default when None). The webhook
    payload is for machines: its values stay in the site's default language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        values = context(incident, kind, ack_url)
        text = render_to_string("alerting/email/incident.txt", values).strip() + "\n"
        html = render_to_string("alerting/email/incident.html", values)
        subject = _subject(incident, kind, values["what"], values["duration"])
    details = as_dict(incident)
    details.pop("pages_sent", None)  # what the receiver is being sent is not yet counted
    details["impacted_by_category"] = incident.impacted_by_category
    details["url"] = values["incident_url"]
    details["critical_establishments"] = [c["code"] for c in values["critical"]]
    payload = {"event": kind, "incident": details, "ack_url": values["ack_url"]}
    return Message(
        kind=kind, incident_id=incident.pk, subject=subject, text=text, html=html, payload=payload
    )
