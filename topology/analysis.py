"""What a failure cuts: single points of failure, impact, redundancy and paths — pure functions.

Sites never carry transit: a CPE connected to two PoPs does not join those PoPs. So the analysis
splits the graph in two: the *infrastructure* (the core, PoP fabrics, routers and backbone links: a
hundred nodes) and the *access links* from each site's CPE to a router. A site is

- **isolated** by a failure when every one of its access links is cut, and
- **degraded** when some are cut but at least one still reaches the core (it lost redundancy).

An access link is cut when the link itself, its CPE or its router fails, or when its router loses
every path to the core. For single failures, the elements that separate each router from the core
come from the block-cut tree of the infrastructure (articulation points and bridges on the path from
the router's block to the core's block), so the impact of every single element follows without
re-running connectivity for each: O(V + E) for the tree, then O(links × depth) to distribute.
Composite failures (a whole PoP, an operator's links) are computed by one traversal each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from topology.graph import CORE, node_kind


@dataclass(frozen=True, slots=True)
class AccessLink:
    key: str  # link:<id>
    cpe: str  # device node of the CPE
    router: str  # device node of the router at the PoP side
    role: str
    operator: str
    duct: str


@dataclass(frozen=True)
class Impact:
    """Establishment nodes cut off from the core, and those that only lost redundancy."""

    isolated: frozenset[str] = frozenset()
    degraded: frozenset[str] = frozenset()


@dataclass
class Network:
    """A graph from `topology.graph.build_graph`, split for analysis."""

    graph: nx.MultiGraph
    infra: nx.MultiGraph = field(init=False)
    access: dict[str, list[AccessLink]] = field(init=False)  # site node → its access links
    links_at: dict[str, list[tuple[str, AccessLink]]] = field(init=False)  # router → (site, link)

    def __post_init__(self) -> None:
        g = self.graph
        infra_nodes = [n for n, d in g.nodes(data=True) if _is_infra(d)]
        self.infra = g.subgraph(infra_nodes).copy()
        cpe_sites: dict[str, list[str]] = defaultdict(list)
        for u, v, d in g.edges(data=True):
            if d.get("kind") == "site":
                cpe, site = (u, v) if node_kind(u) == "device" else (v, u)
                cpe_sites[cpe].append(site)
        self.access = {n: [] for n, d in g.nodes(data=True) if d.get("kind") == "establishment"}
        self.links_at = defaultdict(list)
        for u, v, key, d in g.edges(keys=True, data=True):
            if d.get("kind") != "link":
                continue
            u_cpe, v_cpe = u in cpe_sites, v in cpe_sites
            if u_cpe == v_cpe:
                continue  # backbone link (both infra) or CPE-to-CPE (not an access path)
            cpe, router = (u, v) if u_cpe else (v, u)
            link = AccessLink(
                key, cpe, router, d.get("role", ""), d.get("operator", ""), d.get("duct", "")
            )
            for site in cpe_sites[cpe]:
                self.access[site].append(link)
                self.links_at[router].append((site, link))

    @property
    def sites(self) -> list[str]:
        return list(self.access)

    @cached_property
    def baseline(self) -> frozenset[str]:
        """Infrastructure nodes connected to the core when nothing has failed."""
        return frozenset(reachable_infra(self))


def _is_infra(data: dict[str, object]) -> bool:
    kind = data.get("kind")
    return kind in ("core", "pop") or (kind == "device" and data.get("role") != "cpe")


def reachable_infra(
    net: Network, failed_nodes: Iterable[str] = (), failed_edges: Iterable[str] = ()
) -> set[str]:
    """Infrastructure nodes still connected to the core after the given failures."""
    down = set(failed_nodes)
    cut = set(failed_edges)
    if CORE in down:
        return set()
    seen = {CORE}
    stack = [CORE]
    infra = net.infra
    while stack:
        node = stack.pop()
        for nbr, keys in infra.adj[node].items():
            if nbr in seen or nbr in down:
                continue
            if all(k in cut for k in keys):
                continue
            seen.add(nbr)
            stack.append(nbr)
    return seen


def impact(
    net: Network, failed_nodes: Iterable[str] = (), failed_edges: Iterable[str] = ()
) -> Impact:
    """Impact of any set of failures (nodes and link keys), by one traversal.

    >>> # impact(net, failed_nodes=["pop:3", "device:12"]) — a whole PoP and its routers
    """
    down = set(failed_nodes)
    cut = set(failed_edges)
    alive = reachable_infra(net, down, cut)
    baseline = net.baseline
    isolated: set[str] = set()
    degraded: set[str] = set()
    for site, all_links in net.access.items():
        links = [link for link in all_links if link.router in baseline]
        if not links:
            continue  # cut off before anything failed: see baseline_isolated
        if site in down:
            isolated.add(site)
            continue
        ok = [
            link
            for link in links
            if link.key not in cut and link.cpe not in down and link.router in alive
        ]
        if not ok:
            isolated.add(site)
        elif len(ok) < len(links):
            degraded.add(site)
    return Impact(frozenset(isolated), frozenset(degraded))


def router_separators(net: Network) -> dict[str, set[str]]:
    """For each infrastructure node, the single elements whose failure cuts it from the core.

    Elements are node names and link keys (`link:<id>`, bridges of the infrastructure). Computed on
    the block-cut tree: the cut vertices and single-edge blocks on the tree path from the core.
    Complexity O(V + E) plus the output.
    """
    simple = nx.Graph(net.infra)  # parallel links collapse: they are never bridges
    multiplicity: dict[frozenset[str], list[str]] = defaultdict(list)
    for u, v, k in net.infra.edges(keys=True):
        multiplicity[frozenset((u, v))].append(k)
    if CORE not in simple:
        return {}
    reach = nx.node_connected_component(simple, CORE)
    if len(reach) == 1:
        return {CORE: set()}
    sub = simple.subgraph(reach)
    blocks = [frozenset(b) for b in nx.biconnected_components(sub)]
    cut_vertices = set(nx.articulation_points(sub))
    # Block-cut tree: block nodes ("B", i) and cut-vertex nodes ("C", v).
    tree = nx.Graph()
    node_blocks: dict[str, list[int]] = defaultdict(list)
    for i, block in enumerate(blocks):
        tree.add_node(("B", i))
        for v in block:
            node_blocks[v].append(i)
            if v in cut_vertices:
                tree.add_edge(("B", i), ("C", v))
    start = ("C", CORE) if CORE in cut_vertices else ("B", node_blocks[CORE][0])
    parent = dict(nx.bfs_predecessors(tree, start))
    separators: dict[str, set[str]] = {}
    for v in reach:
        here = ("C", v) if v in cut_vertices else ("B", node_blocks[v][0])
        path = [here]
        while path[-1] != start:
            path.append(parent[path[-1]])
        found: set[str] = set()
        for kind, ref in path:
            if kind == "C":
                if ref not in (v, CORE):
                    found.add(str(ref))
            elif len(blocks[ref]) == 2 and v != CORE:
                keys = multiplicity[blocks[ref]]
                if len(keys) == 1 and keys[0].startswith("link:"):
                    found.add(keys[0])
        separators[v] = found
    return separators


def all_single_failures(net: Network) -> dict[str, Impact]:
    """The impact of every single element failing on its own: devices, links and PoP fabrics.

    Keys are node names (`device:<id>`, `pop:<id>`) and link keys. Elements that cut nothing have
    an empty Impact. Uses `router_separators` instead of one traversal per element: the cost is
    the block-cut tree plus, for each access link, the separators of its router.
    Sites cut off before anything fails (`baseline_isolated`) are left out.
    """
    seps = router_separators(net)
    cuts: dict[str, set[str]] = defaultdict(set)  # element → routers it cuts off (itself included)
    for router, elements in seps.items():
        cuts[router].add(router)
        for element in elements:
            cuts[element].add(router)
    live: dict[str, list[AccessLink]] = {
        site: [link for link in links if link.router in seps] for site, links in net.access.items()
    }
    own: dict[str, list[tuple[str, AccessLink]]] = defaultdict(list)  # link key / CPE → its links
    for site, links in live.items():
        for link in links:
            own[link.key].append((site, link))
            own[link.cpe].append((site, link))
    elements = (set(net.infra.nodes) - {CORE}) | set(own)
    elements |= _infra_link_keys(net)
    result: dict[str, Impact] = {}
    for element in elements:
        hit: dict[str, set[str]] = defaultdict(set)
        for router in cuts.get(element, ()):
            for site, link in net.links_at.get(router, ()):
                hit[site].add(link.key)
        for site, link in own.get(element, ()):
            hit[site].add(link.key)
        isolated: set[str] = set()
        degraded: set[str] = set()
        for site, keys in hit.items():
            total = len(live[site])
            if total == 0:
                continue
            (isolated if len(keys) >= total else degraded).add(site)
        result[element] = Impact(frozenset(isolated), frozenset(degraded))
    return result


def _infra_link_keys(net: Network) -> set[str]:
    return {k for _, _, k in net.infra.edges(keys=True) if k.startswith("link:")}


def baseline_isolated(net: Network) -> frozenset[str]:
    """Sites with no path to the core even with nothing failed (an inventory error)."""
    return frozenset(
        site
        for site, links in net.access.items()
        if not any(link.router in net.baseline for link in links)
    )
