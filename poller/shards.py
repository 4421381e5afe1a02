"""How a cycle is split into tasks: one shard per PoP (its routers and the CPEs behind it), the
core routers in a shard of their own, and an optional queue per region (the PoP's department).

A CPE belongs to the PoP at the far (Z) end of its establishment's access link, primary first;
a CPE with no such link goes to the `unattached` shard. Two queries, whatever the network's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from inventory.choices import DeviceRole, LinkRole, Status
from inventory.models import Device, Link

CORE_SHARD = "core"
UNATTACHED_SHARD = "unattached"
_SitePop = tuple[tuple[int, int], str, str]  # (link rank, PoP slug, PoP's department)
_LINK_ORDER = {LinkRole.PRIMARY.value: 0, LinkRole.BACKUP.value: 1}


@dataclass(frozen=True, slots=True)
class Shard:
    """One task's worth of devices; `region` is a department code, or "" for none."""

    key: str
    region: str
    device_ids: tuple[int, ...]

    def queue(self, default: str, by_region: bool) -> str:
        """The queue this shard's task goes to: `<default>.<region>` when queues are per region."""
        return f"{default}.{self.region}" if by_region and self.region else default


def plan_shards(idle_roles: Iterable[str] = ()) -> list[Shard]:
    """Every pollable active device (a management address and an SNMP profile), sharded;
    the devices of `idle_roles` (not polled this cycle: `poller.schedule`) left out."""
    pop_of_site: dict[int, _SitePop] = {}
    links = (
        Link.objects.filter(
            status=Status.ACTIVE,
            establishment__isnull=False,
            z_interface__device__pop__isnull=False,
        )
        .values_list(
            "establishment_id",
            "role",
            "id",
            "z_interface__device__pop__slug",
            "z_interface__device__pop__commune__department__code",
        )
        .order_by()
    )
    for site, role, link_id, slug, region in links:
        rank = (_LINK_ORDER.get(role, 2), link_id)
        best = pop_of_site.get(site)
        if best is None or rank < best[0]:
            pop_of_site[site] = (rank, slug, region or "")
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    devices = (
        Device.objects.filter(
            status=Status.ACTIVE,
            management_address__isnull=False,
            snmp_profile__isnull=False,
        )
        .exclude(role__in=list(idle_roles))
        .values_list(
            "id", "role", "pop__slug", "pop__commune__department__code", "establishment_id"
        )
        .order_by("id")
    )
    for device_id, role, pop_slug, pop_region, site in devices:
        members[_key_of(role, pop_slug, pop_region, pop_of_site.get(site))].append(device_id)
    return [Shard(key, region, tuple(ids)) for (key, region), ids in sorted(members.items())]


def _key_of(
    role: str, pop_slug: str | None, pop_region: str | None, site_pop: _SitePop | None
) -> tuple[str, str]:
    if role == DeviceRole.CORE_ROUTER:
        return CORE_SHARD, ""
    if pop_slug:
        return f"pop:{pop_slug}", pop_region or ""
    if site_pop is not None:
        return f"pop:{site_pop[1]}", site_pop[2]
    return UNATTACHED_SHARD, ""
