"""Synthetic networks as plain rows, for the pure topology tests."""

from __future__ import annotations

import random

import networkx as nx

from topology.analysis import Network
from topology.graph import DeviceRow, LinkRow, PopRow, SiteRow, build_graph

RING = ["Rennes", "Vannes", "Lorient", "Quimper", "Brest", "Lannion", "Saint-Brieuc"]


def ring_network(
    rng: random.Random,
    n_secondary: int = 4,
    n_sites: int = 40,
    dual_share: float = 0.2,
    ring_gap: bool = False,
) -> tuple[list[PopRow], list[DeviceRow], list[SiteRow], list[LinkRow]]:
    """A backbone ring (one core router per PoP, sometimes an access router beside it),
    secondary PoPs hanging off it, sites with one or two access links."""
    pops: list[PopRow] = []
    devices: list[DeviceRow] = []
    links: list[LinkRow] = []
    ids = iter(range(1, 100_000))
    routers: list[int] = []
    core_of: dict[int, int] = {}
    for name in RING:
        pop = PopRow(next(ids), name, "backbone")
        pops.append(pop)
        core = DeviceRow(next(ids), f"{name.lower()}-core", "core_router", pop_id=pop.id)
        devices.append(core)
        core_of[pop.id] = core.id
        routers.append(core.id)
        if rng.random() < 0.5:
            acc = DeviceRow(next(ids), f"{name.lower()}-acc", "pop_router", pop_id=pop.id)
            devices.append(acc)
            routers.append(acc.id)
    ring_cores = [core_of[p.id] for p in pops]
    for i, a in enumerate(ring_cores):
        if ring_gap and i == len(ring_cores) - 1:
            continue  # an open ring: every ring link becomes a bridge
        b = ring_cores[(i + 1) % len(ring_cores)]
        links.append(LinkRow(next(ids), a, b, "backbone", operator="backbone-op"))
    for k in range(n_secondary):
        parent = rng.choice(pops[: len(RING)])
        pop = PopRow(next(ids), f"Secondary {k}", "secondary", parent_id=parent.id)
        pops.append(pop)
        rtr = DeviceRow(next(ids), f"sec{k}-rtr", "pop_router", pop_id=pop.id)
        devices.append(rtr)
        routers.append(rtr.id)
        links.append(
            LinkRow(next(ids), rtr.id, core_of[parent.id], "backbone", operator="backbone-op")
        )
        if rng.random() < 0.3:  # some secondaries are dual-attached
            other = rng.choice(pops[: len(RING)])
            links.append(
                LinkRow(next(ids), rtr.id, core_of[other.id], "backbone", operator="backbone-op")
            )
    sites: list[SiteRow] = []
    for s in range(n_sites):
        site = SiteRow(
            next(ids),
            f"S{s:03d}",
            f"Site {s}",
            category=rng.choice(["lycee", "health"]),
            department=rng.choice(["22", "29", "35", "56"]),
        )
        sites.append(site)
        cpe = DeviceRow(next(ids), f"cpe-{s}", "cpe", establishment_id=site.id)
        devices.append(cpe)
        first = rng.choice(routers)
        links.append(
            LinkRow(
                next(ids),
                cpe.id,
                first,
                "primary",
                operator=rng.choice(["A", "B"]),
                establishment_id=site.id,
            )
        )
        if rng.random() < dual_share:
            second = rng.choice(routers)
            links.append(
                LinkRow(next(ids), cpe.id, second, "backup", operator="C", establishment_id=site.id)
            )
    return pops, devices, sites, links


def graph_of(
    rows: tuple[list[PopRow], list[DeviceRow], list[SiteRow], list[LinkRow]],
) -> nx.MultiGraph:
    return build_graph(*rows)


def tiny(extra_links: list[LinkRow] | None = None) -> Network:
    """Two backbone PoPs A–B (one link), a secondary C under A; sites: s1 on C only,
    s2 on A and B (dual-homed), s3 on B only."""
    pops = [PopRow(1, "A", "backbone"), PopRow(2, "B", "backbone"), PopRow(3, "C", "secondary", 1)]
    devices = [
        DeviceRow(10, "a-core", "core_router", pop_id=1),
        DeviceRow(20, "b-core", "core_router", pop_id=2),
        DeviceRow(30, "c-rtr", "pop_router", pop_id=3),
        DeviceRow(101, "cpe1", "cpe", establishment_id=1),
        DeviceRow(102, "cpe2", "cpe", establishment_id=2),
        DeviceRow(103, "cpe3", "cpe", establishment_id=3),
    ]
    sites = [SiteRow(1, "S1", "one"), SiteRow(2, "S2", "two"), SiteRow(3, "S3", "three")]
    links = [
        LinkRow(1, 10, 20, "backbone"),
        LinkRow(2, 30, 10, "backbone"),
        LinkRow(3, 101, 30, "primary"),
        LinkRow(4, 102, 10, "primary"),
        LinkRow(5, 102, 20, "backup"),
        LinkRow(6, 103, 20, "primary"),
    ]
    return Network(build_graph(pops, devices, sites, links + (extra_links or [])))
