"""The live state of one object for its page: its status (the same rules as the map's, in
dashboards.status), the open incidents that concern it, and when one of its devices last
answered a poll. Establishment, PoP, device and link pages show it at the top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerting.models import Incident
from common.scoping import scope
from dashboards.status import network_status, stale_after
from inventory import models as m

LABELS = {
    "up": _("Up"),
    "down": _("Down"),
    "degraded": _("Degraded"),
    "maintenance": _("In maintenance"),
    "unknown": _("Unknown (not polled lately)"),
    "planned": _("Planned (not in service yet)"),
}

LAST_POLLS_SQL = """
SELECT device_id, max(time) FROM metrics_device_sample WHERE device_id = ANY(%s) GROUP BY device_id
"""


@dataclass
class LiveState:
    status: str
    last_poll: datetime | None
    at: datetime
    incidents: list[Incident] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(LABELS[self.status])


def _last_polls(device_ids: list[int]) -> dict[int, datetime]:
    """When each of these devices last answered a poll (one query)."""
    if not device_ids:
        return {}
    with connection.cursor() as cur:
        cur.execute(LAST_POLLS_SQL, [device_ids])
        return dict(cur.fetchall())


def _last_poll(device_ids: list[int]) -> datetime | None:
    return max(_last_polls(device_ids).values(), default=None)


def _open(condition: Q, user: Any) -> list[Incident]:
    found: QuerySet[Incident] = Incident.objects.filter(condition, end__isnull=True)
    return list(scope(found, user).select_related("operator").distinct().order_by("-start"))


def _rooted(kind: str, ids: Any) -> Q:
    return Q(root_kind=kind, root_id__in=list(ids))


def _from_incidents(incidents: list[Incident], rooted: set[tuple[str, int]]) -> str | None:
    """down (or maintenance) when an open incident is rooted at one of `rooted`."""
    mine = [i for i in incidents if (i.root_kind, i.root_id) in rooted]
    if any(not i.in_maintenance for i in mine):
        return "down"
    return "maintenance" if mine else None


def _device_status(devices: list[m.Device], polls: dict[int, datetime], now: datetime) -> str:
    """up when one of them answered within its role's stale delay, unknown otherwise."""
    for device in devices:
        last = polls.get(device.pk)
        if last is not None and (now - last).total_seconds() <= stale_after(device.role):
            return "up"
    return "unknown"


def establishment_state(site: m.Establishment, user: Any) -> LiveState:
    now = timezone.now()
    devices = list(site.devices.values_list("pk", flat=True))
    links = list(site.links.values_list("pk", flat=True))
    incidents = _open(
        Q(impacts__establishment=site) | _rooted("link", links) | _rooted("device", devices), user
    )
    status = network_status(now).sites.get(site.pk, "unknown")
    return LiveState(status, _last_poll(devices), now, incidents)


def pop_state(pop: m.Pop, user: Any) -> LiveState:
    now = timezone.now()
    devices = list(pop.devices.values_list("pk", flat=True))
    backbone = m.Link.objects.filter(
        Q(a_interface__device__pop=pop) | Q(z_interface__device__pop=pop), role="backbone"
    ).values_list("pk", flat=True)
    incidents = _open(
        _rooted("pop", [pop.pk]) | _rooted("device", devices) | _rooted("link", backbone), user
    )
    status = network_status(now).pops.get(pop.pk, "unknown")
    return LiveState(status, _last_poll(devices), now, incidents)


def device_state(device: m.Device, user: Any) -> LiveState:
    now = timezone.now()
    links = m.Link.objects.filter(
        Q(a_interface__device=device) | Q(z_interface__device=device)
    ).values_list("pk", flat=True)
    roots = _rooted("device", [device.pk]) | _rooted("link", links)
    if device.pop_id is not None:
        roots |= _rooted("pop", [device.pop_id])
    incidents = _open(roots, user)
    rooted = {("device", device.pk), ("pop", device.pop_id or 0)}
    polls = _last_polls([device.pk])
    status = _from_incidents(incidents, rooted) or _device_status([device], polls, now)
    if status == "unknown" and device.status == "planned":
        status = "planned"
    return LiveState(status, polls.get(device.pk), now, incidents)


def link_state(link: m.Link, user: Any) -> LiveState:
    now = timezone.now()
    ends = [i.device for i in (link.a_interface, link.z_interface) if i is not None]
    pops = [d.pop_id for d in ends if d.pop_id is not None]
    roots = _rooted("link", [link.pk]) | _rooted("device", [d.pk for d in ends])
    roots |= _rooted("pop", pops)
    if link.establishment_id is not None:
        roots |= Q(impacts__establishment_id=link.establishment_id)
    incidents = _open(roots, user)
    rooted = {("link", link.pk), *(("device", d.pk) for d in ends), *(("pop", p) for p in pops)}
    polls = _last_polls([d.pk for d in ends])
    status = _from_incidents(incidents, rooted) or _device_status(ends, polls, now)
    if status == "unknown" and link.status == "planned":
        status = "planned"
    return LiveState(status, max(polls.values(), default=None), now, incidents)


STATES: dict[str, Callable[[Any, Any], LiveState]] = {
    "establishment": establishment_state,
    "pop": pop_state,
    "device": device_state,
    "link": link_state,
}
