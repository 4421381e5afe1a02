"""The network as plain rows and as a networkx graph: node naming and the pure graph builder.

Nodes are strings, `"<kind>:<id>"`, so the graph exports as GraphML/JSON unchanged:
- `core` — one virtual node standing for the backbone core: every router of a backbone PoP that
  carries the core role (or every router of the PoP when it has no core router) attaches to it;
- `pop:<id>` — a PoP's internal fabric, joining all the devices that stand in it;
- `device:<id>` — routers and CPEs;
- `establishment:<id>` — a site, attached to its CPE(s).
Edges are keyed: links by `link:<id>` (a MultiGraph: two links between the same devices are two
edges), internal attachments by their own kinds (`core`, `fabric`, `site`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

CORE = "core"


@dataclass(frozen=True, slots=True)
class PopRow:
    id: int
    name: str
    kind: str  # backbone | secondary
    parent_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    name: str
    role: str  # cpe | pop_router | core_router | switch
    pop_id: int | None = None
    establishment_id: int | None = None


@dataclass(frozen=True, slots=True)
class SiteRow:
    id: int
    code: str
    name: str
    category: str = ""
    department: str = ""
    criticality: str = "normal"
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class LinkRow:
    id: int
    a_device_id: int
    z_device_id: int
    role: str  # primary | backup | backbone
    operator: str = ""
    technology: str = ""
    circuit_id: str = ""
    duct: str = ""
    committed_down_bps: int | None = None
    committed_up_bps: int | None = None
    establishment_id: int | None = None


def pop_node(pop_id: int) -> str:
    return f"pop:{pop_id}"


def device_node(device_id: int) -> str:
    return f"device:{device_id}"


def site_node(site_id: int) -> str:
    return f"establishment:{site_id}"


def link_key(link_id: int) -> str:
    return f"link:{link_id}"


def node_kind(node: str) -> str:
    return node.split(":", 1)[0]


def node_id(node: str) -> int:
    return int(node.split(":", 1)[1])


def build_graph(
    pops: Iterable[PopRow],
    devices: Iterable[DeviceRow],
    sites: Iterable[SiteRow],
    links: Iterable[LinkRow],
) -> nx.MultiGraph:
    """Assemble the physical graph. Links whose ends are unknown devices are left out."""
    g = nx.MultiGraph()
    g.add_node(CORE, kind="core", name="Backbone core")
    pops = list(pops)
    backbone = {p.id for p in pops if p.kind == "backbone"}
    for p in pops:
        g.add_node(
            pop_node(p.id),
            kind="pop",
            id=p.id,
            name=p.name,
            pop_kind=p.kind,
            parent=p.parent_id,
            lat=p.latitude,
            lon=p.longitude,
        )
    for s in sites:
        g.add_node(
            site_node(s.id),
            kind="establishment",
            id=s.id,
            code=s.code,
            name=s.name,
            category=s.category,
            department=s.department,
            criticality=s.criticality,
            lat=s.latitude,
            lon=s.longitude,
        )
    devices = list(devices)
    core_routers = {d.pop_id for d in devices if d.role == "core_router" and d.pop_id in backbone}
    for d in devices:
        node = device_node(d.id)
        g.add_node(
            node,
            kind="device",
            id=d.id,
            name=d.name,
            role=d.role,
            pop=d.pop_id,
            establishment=d.establishment_id,
        )
        if d.pop_id is not None and g.has_node(pop_node(d.pop_id)):
            g.add_edge(pop_node(d.pop_id), node, key="fabric", kind="fabric")
            at_core = d.role == "core_router" or d.pop_id not in core_routers
            if d.pop_id in backbone and d.role != "cpe" and at_core:
                g.add_edge(CORE, node, key="core", kind="core")
        if d.establishment_id is not None and g.has_node(site_node(d.establishment_id)):
            g.add_edge(node, site_node(d.establishment_id), key="site", kind="site")
    for link in links:
        a, z = device_node(link.a_device_id), device_node(link.z_device_id)
        if not (g.has_node(a) and g.has_node(z)):
            continue
        g.add_edge(
            a,
            z,
            key=link_key(link.id),
            kind="link",
            id=link.id,
            role=link.role,
            a_end=a,
            z_end=z,
            operator=link.operator,
            technology=link.technology,
            circuit_id=link.circuit_id,
            duct=link.duct,
            committed_down_bps=link.committed_down_bps,
            committed_up_bps=link.committed_up_bps,
            establishment=link.establishment_id,
        )
    return g
