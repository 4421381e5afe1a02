"""The live status of every establishment and PoP, composed from alerting and the metrics store.

One status each, the worst that applies, in this order:
- `down`: cut off by an open incident that is not in maintenance (a PoP: its own open incident);
- `maintenance`: cut off by an incident raised inside a maintenance window, or covered right
  now by an active maintenance window;
- `degraded`: lost redundancy in an open incident, or a failure the detector is still
  confirming (an `ElementState` with a DOWN streak and no incident yet); a PoP: one of its
  devices or backbone links down;
- `unknown`: none of its devices answered a poll (reachable or not) within
  `MENHIR_STATUS_STALE_SECONDS` (scaled by the device role's poll interval over the cycle, for
  the roles polled less often: `MENHIR_POLL_INTERVALS`), or it has no device to poll;
- `up`: everything else;
- `planned`: an establishment the inventory holds as planned (not in service yet) that would
  otherwise be `unknown`: nothing answering there is expected, and "unknown" would send
  someone looking for a fault (one being commissioned that answers is `up`).

A fixed handful of queries whatever the size of the network (tests hold it to that): the whole
network's status is one page load of the home page and one refresh of the live map.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

STATUSES = ("up", "down", "degraded", "maintenance", "unknown", "planned")
RANK = {"planned": -1, "up": 0, "unknown": 1, "degraded": 2, "maintenance": 3, "down": 4}

FRESH_DEVICES_SQL = """
SELECT device_id, max(time) FROM metrics_device_sample WHERE time >= %s AND time <= %s
GROUP BY device_id
"""


@dataclass
class NetworkStatus:
    """Status per establishment id and per PoP id, when it was computed."""

    at: datetime
    sites: dict[int, str] = field(default_factory=dict)
    pops: dict[int, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Establishments per status, every status present (zero included)."""
        tally = Counter(self.sites.values())
        return {status: tally.get(status, 0) for status in STATUSES}

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "sites": {str(k): v for k, v in self.sites.items()},
            "pops": {str(k): v for k, v in self.pops.items()},
            "counts": self.counts(),
        }


def _worse(current: str, new: str) -> str:
    return new if RANK[new] > RANK[current] else current


def stale_after(role: str, schedule: Any = None) -> float:
    """Seconds after its last poll when a device of `role` stops counting as polled: the
    stale delay covers as many of its polls as it covers cycles of the every-cycle roles."""
    from poller.schedule import PollSchedule

    schedule = schedule or PollSchedule.from_settings()
    return float(settings.MENHIR_STATUS_STALE_SECONDS * schedule.interval(role) / schedule.cycle)


def _fresh_devices(now: datetime, role_of: dict[int, str]) -> set[int]:
    """Devices polled recently enough for their role: the stale delay covers as many of its
    polls as it covers cycles of the roles polled every cycle."""
    from poller.schedule import PollSchedule

    schedule = PollSchedule.from_settings()
    stale = settings.MENHIR_STATUS_STALE_SECONDS

    def delay(role: str) -> float:
        return stale_after(role, schedule)

    since = now - timedelta(seconds=stale * schedule.longest / schedule.cycle)
    with connection.cursor() as cur:
        cur.execute(FRESH_DEVICES_SQL, [since, now])
        rows = cur.fetchall()
    return {pk for pk, last in rows if (now - last).total_seconds() <= delay(role_of.get(pk, ""))}


@dataclass
class _Inventory:
    """The inventory's shape the status needs: which site or PoP owns which device."""

    site_devices: dict[int, list[int]]
    pop_devices: dict[int, list[int]]
    device_site: dict[int, int]
    device_pop: dict[int, int]
    device_role: dict[int, str] = field(default_factory=dict)
    planned_sites: set[int] = field(default_factory=set)


def _access_links() -> list[tuple[int, int, int, int | None, int | None]]:
    """Access links as (id, establishment, operator, CPE device, PoP router)."""
    from inventory.models import Link

    return list(
        Link.objects.filter(establishment__isnull=False)
        .exclude(role="backbone")
        .order_by()
        .values_list(
            "pk",
            "establishment_id",
            "operator_id",
            "a_interface__device_id",
            "z_interface__device_id",
        )
    )


def _inventory() -> _Inventory:
    from inventory.models import Device, Establishment, Pop

    sites = list(Establishment.objects.order_by().values_list("pk", "status"))
    site_devices: dict[int, list[int]] = {pk: [] for pk, _ in sites}
    planned = {pk for pk, status in sites if status == "planned"}
    pops = Pop.objects.order_by().values_list("pk", flat=True)
    pop_devices: dict[int, list[int]] = {pk: [] for pk in pops}
    device_site: dict[int, int] = {}
    device_pop: dict[int, int] = {}
    device_role: dict[int, str] = {}
    for pk, site, pop, role in Device.objects.order_by().values_list(
        "pk", "establishment_id", "pop_id", "role"
    ):
        device_role[pk] = role
        if site is not None and site in site_devices:
            site_devices[site].append(pk)
            device_site[pk] = site
        if pop is not None and pop in pop_devices:
            pop_devices[pop].append(pk)
            device_pop[pk] = pop
    return _Inventory(site_devices, pop_devices, device_site, device_pop, device_role, planned)


def _maintenance(inv: _Inventory, now: datetime) -> tuple[set[int], set[int]]:
    """Establishments and PoPs an active maintenance window covers right now."""
    from alerting.models import MaintenanceWindow

    windows = list(
        MaintenanceWindow.objects.filter(planned_start__lte=now, planned_end__gte=now)
        .order_by()
        .prefetch_related("pops", "devices", "links")
        .only("pk", "operator_id")
    )
    sites: set[int] = set()
    pops: set[int] = set()
    if not windows:
        return sites, pops
    whole_operators: set[int] = set()
    link_ids: set[int] = set()
    device_ids: set[int] = set()
    for w in windows:
        w_pops = {p.pk for p in w.pops.all()}
        w_devices = {d.pk for d in w.devices.all()}
        w_links = {lk.pk for lk in w.links.all()}
        if w.operator_id is not None and not (w_pops or w_devices or w_links):
            whole_operators.add(w.operator_id)
        pops |= w_pops
        device_ids |= w_devices
        link_ids |= w_links
    for pk in device_ids:
        if pk in inv.device_pop:
            pops.add(inv.device_pop[pk])
    for pk, site, operator, cpe, router in _access_links():  # only when a window is active
        router_pop = inv.device_pop.get(router) if router is not None else None
        if (
            pk in link_ids
            or operator in whole_operators
            or cpe in device_ids
            or router in device_ids
            or router_pop in pops
        ):
            sites.add(site)
    return sites, pops


def _pops_of_links(link_ids: set[int]) -> dict[int, set[int]]:
    from inventory.models import Link

    if not link_ids:
        return {}
    out: dict[int, set[int]] = defaultdict(set)
    rows = Link.objects.filter(pk__in=link_ids).values_list(
        "pk", "a_interface__device__pop_id", "z_interface__device__pop_id"
    )
    for pk, a, z in rows:
        out[pk] |= {p for p in (a, z) if p is not None}
    return out


def network_status(now: datetime | None = None) -> NetworkStatus:
    """Every establishment's and PoP's status at `now` (default: now)."""
    from alerting.models import ElementState, Incident, IncidentImpact

    now = now or timezone.now()
    inv = _inventory()
    fresh = _fresh_devices(now, inv.device_role)
    status = NetworkStatus(now)
    for site, devices in inv.site_devices.items():
        status.sites[site] = "up" if any(d in fresh for d in devices) else "unknown"
    for pop, devices in inv.pop_devices.items():
        status.pops[pop] = "up" if any(d in fresh for d in devices) else "unknown"

    def mark_site(site: int, value: str) -> None:
        if site in status.sites:
            status.sites[site] = _worse(status.sites[site], value)

    def mark_pop(pop: int | None, value: str) -> None:
        if pop is not None and pop in status.pops:
            status.pops[pop] = _worse(status.pops[pop], value)

    # pending failures: a DOWN streak the detector has not confirmed yet
    for (key,) in ElementState.objects.filter(
        detector__has_key="active", incident__isnull=True
    ).values_list("element_key"):
        kind, _, ident = key.partition(":")
        if not ident.isdigit():
            continue
        pk = int(ident)
        if kind == "establishment":
            mark_site(pk, "degraded")
        elif kind == "pop":
            mark_pop(pk, "degraded")
        elif kind == "device":
            mark_site(inv.device_site.get(pk, -1), "degraded")
            mark_pop(inv.device_pop.get(pk), "degraded")

    in_window_sites, in_window_pops = _maintenance(inv, now)
    for site in in_window_sites:
        mark_site(site, "maintenance")
    for pop in in_window_pops:
        mark_pop(pop, "maintenance")

    open_at_now = Q(end__isnull=True) | Q(end__gt=now)
    for site, state, in_maintenance in IncidentImpact.objects.filter(
        Q(incident__end__isnull=True) | Q(incident__end__gt=now), incident__start__lte=now
    ).values_list("establishment_id", "state", "incident__in_maintenance"):
        if in_maintenance:
            mark_site(site, "maintenance")
        else:
            mark_site(site, "down" if state == "isolated" else "degraded")

    incidents = list(
        Incident.objects.filter(open_at_now, start__lte=now).values_list(
            "root_kind", "root_id", "in_maintenance", "kind"
        )
    )
    # an access link down shows on its site; a backbone link down on the PoPs at its ends
    backbone = {rid for kind, rid, _, what in incidents if what == "backbone_link_down"}
    link_pops = _pops_of_links(backbone)
    for kind, root_id, in_maintenance, _what in incidents:
        if kind == "pop":
            mark_pop(root_id, "maintenance" if in_maintenance else "down")
        elif kind == "device":
            mark_pop(inv.device_pop.get(root_id), "maintenance" if in_maintenance else "degraded")
        elif kind == "link" and root_id in backbone:
            for pop in link_pops.get(root_id, ()):
                mark_pop(pop, "maintenance" if in_maintenance else "degraded")
    for site in inv.planned_sites:
        if status.sites.get(site) == "unknown":
            status.sites[site] = "planned"
    return status
