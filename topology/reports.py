"""Reports built on the analysis: SPOF list, named failures, redundancy, paths, shared fate.

Pure functions of a `topology.analysis.Network`; names and counts come from node attributes.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from topology.analysis import Impact, Network, all_single_failures, impact, router_separators
from topology.graph import CORE, node_kind, pop_node


@dataclass(frozen=True)
class Element:
    """Something that can fail: `kind` is pop, device, link or operator."""

    kind: str
    id: int | str
    name: str
    nodes: tuple[str, ...] = ()  # graph nodes that go down with it
    edges: tuple[str, ...] = ()  # link keys that go down with it

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class SpofEntry:
    element: Element
    impact: Impact


def pop_element(net: Network, pop_id: int) -> Element:
    """A whole PoP: its fabric and every device standing in it."""
    g = net.graph
    node = pop_node(pop_id)
    devices = tuple(n for n in g.adj[node] if node_kind(n) == "device")
    return Element("pop", pop_id, str(g.nodes[node].get("name", node)), (node, *devices))


def operator_element(net: Network, operator: str) -> Element:
    """Every link of one operator at once."""
    keys = tuple(
        k
        for _, _, k, d in net.graph.edges(keys=True, data=True)
        if d.get("kind") == "link" and d.get("operator") == operator
    )
    return Element("operator", operator, operator, edges=keys)


def element_impact(net: Network, element: Element) -> Impact:
    return impact(net, failed_nodes=element.nodes, failed_edges=element.edges)


def spof(net: Network) -> list[SpofEntry]:
    """PoPs, infrastructure devices and backbone links whose failure alone isolates sites.

    Access-level single points (a single-homed site's own CPE and access link) are not listed:
    see `single_homed`. Sorted by isolated establishments, most first.
    """
    g = net.graph
    single = all_single_failures(net)
    entries: list[SpofEntry] = []
    for node in net.infra.nodes:
        if node == CORE:
            continue
        data = g.nodes[node]
        if data["kind"] == "pop":
            element = pop_element(net, int(data["id"]))
            found = element_impact(net, element)
        else:
            element = Element("device", int(data["id"]), str(data["name"]), (node,))
            found = single.get(node, Impact())
        if found.isolated:
            entries.append(SpofEntry(element, found))
    for u, v, key, data in net.infra.edges(keys=True, data=True):
        if data.get("kind") != "link":
            continue
        found = single.get(key, Impact())
        if found.isolated:
            a, z = data.get("a_end", u), data.get("z_end", v)
            name = f"{g.nodes[a].get('name', a)} – {g.nodes[z].get('name', z)}"
            entries.append(SpofEntry(Element("link", int(data["id"]), name, edges=(key,)), found))
    entries.sort(key=lambda e: (-len(e.impact.isolated), e.element.kind, str(e.element.name)))
    return entries


def site_refs(
    net: Network, sites: Iterable[str], fields: tuple[str, ...] = ("id", "code", "name")
) -> list[dict[str, object]]:
    """Establishment nodes as small dicts of their attributes, sorted by code (CLI and API)."""
    g = net.graph
    return [
        {f: g.nodes[s][f] for f in fields} for s in sorted(sites, key=lambda s: g.nodes[s]["code"])
    ]


def single_homed(net: Network) -> list[str]:
    """Sites with exactly one access link: their CPE and link are single points of failure."""
    return sorted(site for site, links in net.access.items() if len(links) == 1)


def breakdown(net: Network, sites: frozenset[str] | set[str], attribute: str) -> dict[str, int]:
    """Count establishments by a node attribute (category, department)."""
    counts = Counter(str(net.graph.nodes[s].get(attribute, "")) for s in sites)
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Redundancy:
    edge_disjoint: int
    node_disjoint: int


def redundancy(net: Network, site: str) -> Redundancy:
    """Edge- and node-disjoint paths from a site to the core.

    Counted from the site's CPE(s): a site with one CPE and two links to two PoPs has two
    node-disjoint paths (the CPE, the endpoint, is not counted as a shared element).
    """
    h = nx.Graph()
    cap: Counter[tuple[str, str]] = Counter()
    for u, v in net.infra.edges():
        cap[(u, v)] += 1
        cap[(v, u)] += 1
        h.add_edge(u, v)
    source = "source"
    for link in net.access.get(site, []):
        h.add_edge(source, link.cpe)
        cap[(source, link.cpe)] = cap[(link.cpe, source)] = 10**6
        h.add_edge(link.cpe, link.router)
        cap[(link.cpe, link.router)] += 1
        cap[(link.router, link.cpe)] += 1
    if source not in h or CORE not in h or not nx.has_path(h, source, CORE):
        return Redundancy(0, 0)
    d = nx.DiGraph()
    for (u, v), c in cap.items():
        d.add_edge(u, v, capacity=c)
    edge_paths = int(nx.maximum_flow_value(d, source, CORE))
    cpes = {link.cpe for link in net.access.get(site, [])}
    # From the CPE itself when there is one (an endpoint is not a shared element), from a
    # source joined to every CPE when the site has several.
    start = next(iter(cpes)) if len(cpes) == 1 else source
    undirected = h.copy()
    if start != source:
        undirected.remove_node(source)
    node_paths = nx.node_connectivity(undirected, start, CORE)
    return Redundancy(edge_paths, min(node_paths, edge_paths))


@dataclass(frozen=True)
class Hop:
    node: str
    name: str
    link: str | None  # link key used to reach this node from the previous hop
    operator: str | None


def path_to_core(net: Network, site: str) -> list[Hop]:
    """The path from a site to the core, through its primary link when that one is up."""
    links = sorted(net.access.get(site, []), key=lambda link: link.role != "primary")
    g = net.graph
    for link in links:
        if link.router not in net.baseline:
            continue
        infra_path = nx.shortest_path(net.infra, link.router, CORE)
        hops = [
            Hop(site, str(g.nodes[site].get("name", site)), None, None),
            Hop(link.cpe, str(g.nodes[link.cpe].get("name", link.cpe)), None, None),
            Hop(link.router, str(g.nodes[link.router].get("name")), link.key, link.operator),
        ]
        for prev, node in itertools.pairwise(infra_path):
            edges = net.infra.get_edge_data(prev, node)
            key = next((k for k in edges if str(k).startswith("link:")), None)
            operator = edges[key].get("operator") if key else None
            hops.append(Hop(node, str(g.nodes[node].get("name", node)), key, operator))
        return hops
    return []


@dataclass(frozen=True)
class Finding:
    site: str
    kind: str  # same_router | same_pop | same_duct | common_upstream
    detail: str


def shared_fate(net: Network) -> list[Finding]:
    """Dual-homed sites whose links share a router, a PoP, a duct or an upstream element."""
    g = net.graph
    seps = router_separators(net)
    findings: list[Finding] = []
    for site, links in sorted(net.access.items()):
        if len(links) < 2:
            continue
        routers = [link.router for link in links]
        pops = [g.nodes[r].get("pop") for r in routers]
        ducts = [link.duct for link in links if link.duct]
        if len(set(routers)) < len(routers):
            findings.append(Finding(site, "same_router", str(g.nodes[routers[0]].get("name"))))
        elif None not in pops and len(set(pops)) < len(pops):
            pop_name = g.nodes[pop_node(int(pops[0]))].get("name") if pops[0] is not None else ""
            findings.append(Finding(site, "same_pop", str(pop_name)))
        if len(set(ducts)) < len(ducts):
            findings.append(Finding(site, "same_duct", ducts[0]))
        common = set.intersection(*(seps.get(r, set()) | {r} for r in routers))
        for element in sorted(common - set(routers)):
            name = g.nodes[element].get("name") if element in g else element
            findings.append(Finding(site, "common_upstream", f"{element} ({name})"))
    return findings


class UnknownElement(LookupError):
    """The name given matches no PoP, device, link or operator of the graph."""


def resolve_element(net: Network, text: str) -> Element:
    """An element from its name as `spof` prints it: a PoP name, a device name, `link:<id>`,
    `pop:<name>` or `operator:<name>` (names are matched case-insensitively)."""
    g = net.graph
    wanted = text.strip()
    kind, _, rest = wanted.partition(":")
    if kind == "link" and rest.isdigit():
        key = f"link:{rest}"
        for _u, _v, k, data in g.edges(keys=True, data=True):
            if k == key:
                a, z = data["a_end"], data["z_end"]
                name = f"{g.nodes[a].get('name')} – {g.nodes[z].get('name')}"
                return Element("link", int(rest), name, edges=(key,))
        raise UnknownElement(f"no link with id {rest} in the topology")
    if kind == "operator" and rest:
        return operator_element(net, _match_operator(net, rest))
    name = rest if kind == "pop" and rest else wanted
    for _node, data in g.nodes(data=True):
        if data.get("kind") == "pop" and str(data.get("name", "")).lower() == name.lower():
            return pop_element(net, int(data["id"]))
    if kind != "pop":
        for node, data in g.nodes(data=True):
            if data.get("kind") == "device" and str(data.get("name", "")).lower() == name.lower():
                return Element("device", int(data["id"]), str(data["name"]), (node,))
    raise UnknownElement(f"{text!r} is no PoP or device name, nor link:<id> or operator:<name>")


def _match_operator(net: Network, name: str) -> str:
    operators = {
        str(d.get("operator")) for _, _, d in net.graph.edges(data=True) if d.get("kind") == "link"
    }
    for operator in operators:
        if operator.lower() == name.lower():
            return operator
    raise UnknownElement(f"no links of an operator named {name!r}")
