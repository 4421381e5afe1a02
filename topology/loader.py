"""Read the inventory into plain rows: the topology package's only ORM touchpoint."""

from __future__ import annotations

import networkx as nx

from topology.graph import DeviceRow, LinkRow, PopRow, SiteRow


def load_rows(
    pop_id: int | None = None,
) -> tuple[list[PopRow], list[DeviceRow], list[SiteRow], list[LinkRow]]:
    """Active PoPs, devices, establishments and links, in four queries whatever the size.

    With `pop_id`, only that PoP's subtree: the PoP, its child PoPs, their devices, the sites
    whose links end there and those links.
    """
    from inventory.choices import Status
    from inventory.models import Device, Establishment, Link, Pop

    live = [Status.ACTIVE, Status.PLANNED]
    pops = [
        PopRow(
            p.id,
            p.name,
            p.kind,
            p.parent_id,
            p.latitude or p.commune.latitude,
            p.longitude or p.commune.longitude,
        )
        for p in Pop.objects.filter(status__in=live).select_related("commune")
    ]
    links_qs = Link.objects.filter(
        status__in=live, a_interface__isnull=False, z_interface__isnull=False
    )
    links = [
        LinkRow(
            id=row["id"],
            a_device_id=row["a_interface__device_id"],
            z_device_id=row["z_interface__device_id"],
            role=row["role"],
            operator=row["operator__name"] or "",
            technology=row["technology"],
            circuit_id=row["circuit_id"],
            duct=row["duct"],
            committed_down_bps=row["committed_down_bps"],
            committed_up_bps=row["committed_up_bps"],
            establishment_id=row["establishment_id"],
        )
        for row in links_qs.values(
            "id",
            "a_interface__device_id",
            "z_interface__device_id",
            "role",
            "operator__name",
            "technology",
            "circuit_id",
            "duct",
            "committed_down_bps",
            "committed_up_bps",
            "establishment_id",
        )
    ]
    devices = [
        DeviceRow(d["id"], d["name"], d["role"], d["pop_id"], d["establishment_id"])
        for d in Device.objects.filter(status__in=live).values(
            "id", "name", "role", "pop_id", "establishment_id"
        )
    ]
    sites = [
        SiteRow(
            s["id"],
            s["code"],
            s["name"],
            s["category"],
            s["commune__department__code"],
            s["criticality"],
            s["latitude"] or s["commune__latitude"],
            s["longitude"] or s["commune__longitude"],
        )
        for s in Establishment.objects.filter(status__in=live).values(
            "id",
            "code",
            "name",
            "category",
            "commune__department__code",
            "criticality",
            "latitude",
            "longitude",
            "commune__latitude",
            "commune__longitude",
        )
    ]
    if pop_id is not None:
        return _subtree(pop_id, pops, devices, sites, links)
    return pops, devices, sites, links


def _subtree(
    pop_id: int,
    pops: list[PopRow],
    devices: list[DeviceRow],
    sites: list[SiteRow],
    links: list[LinkRow],
) -> tuple[list[PopRow], list[DeviceRow], list[SiteRow], list[LinkRow]]:
    keep_pops = {pop_id}
    changed = True
    while changed:
        changed = False
        for p in pops:
            if p.parent_id in keep_pops and p.id not in keep_pops:
                keep_pops.add(p.id)
                changed = True
    routers = {d.id for d in devices if d.pop_id in keep_pops}
    sub_links = [lk for lk in links if lk.z_device_id in routers or lk.a_device_id in routers]
    site_ids = {lk.establishment_id for lk in sub_links if lk.establishment_id}
    cpes = {d.id for d in devices if d.establishment_id in site_ids}
    keep_devices = routers | cpes
    return (
        [p for p in pops if p.id in keep_pops],
        [d for d in devices if d.id in keep_devices],
        [s for s in sites if s.id in site_ids],
        [
            lk
            for lk in sub_links
            if lk.a_device_id in keep_devices and lk.z_device_id in keep_devices
        ],
    )


def load_graph(pop_id: int | None = None) -> nx.MultiGraph:
    """The inventory as a networkx MultiGraph (see topology.graph)."""
    from topology.graph import build_graph

    return build_graph(*load_rows(pop_id))
