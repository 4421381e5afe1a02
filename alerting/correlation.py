"""Root cause of one poll cycle's failures on the topology: one failure, one incident.

Pure function of a `topology.analysis.Network` and what the poller saw down. A failed element is a
*root cause* when the poller could have reached it were it up: something next to it on the
collector's side still answers. Everything else that is down behind it is *shadowed*: impacted,
never paged on its own. When the root cause recovers and something behind it stays down, that
element now has a live neighbour, so it becomes a root cause of its own on the next cycle.

Operators: access links are the link operator's; PoPs, PoP routers and backbone links are the
syndicate's own (operator None, and `third_party` for the SLA of the access links they cut).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from topology.analysis import Impact, Network, impact, reachable_infra
from topology.graph import CORE, node_id, node_kind, pop_node


@dataclass(frozen=True)
class RootCause:
    """One incident's worth of failure: what failed and whom it cuts off."""

    kind: str  # pop_down | device_down | access_down | backbone_link_down
    element: str  # pop:<id>, device:<id> or link:<id>
    name: str
    operator: str | None  # the link operator, or None for the syndicate's own elements
    impact: Impact
    shadowed: frozenset[str] = frozenset()  # down devices explained by this root cause
    site: str | None = None  # for access_down: the establishment node


@dataclass(frozen=True)
class Verdict:
    """The cycle's reading: root causes, or the collector itself cut off (everything UNKNOWN)."""

    collector_isolated: bool
    root_causes: tuple[RootCause, ...] = ()
    unexplained: frozenset[str] = field(default_factory=frozenset)


def correlate(
    net: Network,
    down_devices: Iterable[str],
    down_links: Iterable[str] = (),
    canaries: Iterable[str] = (),
) -> Verdict:
    """Turn one cycle's down devices and links (graph keys) into root causes.

    `canaries` are device nodes polled each cycle to check the collector's own reachability;
    when every canary is down, the cycle says nothing about the network (`collector_isolated`).
    Complexity: one traversal of the infrastructure plus one impact per root cause.
    """
    down = set(down_devices)
    cut = set(down_links)
    canary_set = set(canaries)
    if canary_set and canary_set <= down:
        return Verdict(collector_isolated=True)
    g = net.graph
    infra_down = {d for d in down if d in net.infra}
    pops_down = _pops_entirely_down(net, infra_down)
    failed_nodes = infra_down | {pop_node(p) for p in pops_down}
    alive = reachable_infra(net, failed_nodes, cut)
    causes: list[RootCause] = []
    explained: set[str] = set()

    # 1. Whole PoPs down: one incident each, when the PoP's uplink side still answers.
    for pop in sorted(pops_down):
        members = {n for n in g.adj[pop_node(pop)] if node_kind(n) == "device"}
        if _touches_alive(net, members, alive, cut):
            found = impact(net, failed_nodes={pop_node(pop), *members})
            shadowed = frozenset(_shadowed(net, members, found, down))
            name = _name(net, pop_node(pop))
            causes.append(RootCause("pop_down", pop_node(pop), name, None, found, shadowed))
            explained |= members
    # 2. Single infrastructure devices down with a live neighbour.
    for dev in sorted(infra_down - explained):
        if _touches_alive(net, {dev}, alive, cut):
            found = impact(net, failed_nodes={dev})
            causes.append(
                RootCause(
                    "device_down",
                    dev,
                    _name(net, dev),
                    None,
                    found,
                    frozenset(_shadowed(net, {dev}, found, down)),
                )
            )
            explained.add(dev)
    # 3. Backbone links reported down.
    infra_links = {k for _, _, k in net.infra.edges(keys=True) if k.startswith("link:")}
    for key in sorted(cut & infra_links):
        found = impact(net, failed_edges={key})
        causes.append(RootCause("backbone_link_down", key, _link_name(net, key), None, found))
    # 4. Sites: a CPE down, or access links down, while the PoP side answers.
    for site, links in sorted(net.access.items()):
        cpes = {link.cpe for link in links}
        reachable_side = [link for link in links if link.router in alive]
        failed = [link for link in reachable_side if link.key in cut or link.cpe in down]
        if not failed:
            continue
        if cpes <= explained:
            continue
        if not reachable_side:
            continue  # behind a failed PoP or router: that one's incident covers it
        found = impact(net, failed_nodes=cpes & down, failed_edges={link.key for link in failed})
        if site not in found.isolated and site not in found.degraded:
            continue
        link = failed[0]
        causes.append(
            RootCause(
                "access_down",
                link.key,
                _name(net, site),
                link.operator or None,
                found,
                frozenset(cpes & down),
                site,
            )
        )
        explained |= cpes & down
    shadowed_all = set().union(*(c.shadowed for c in causes)) if causes else set()
    unexplained = frozenset(down - explained - shadowed_all - {CORE})
    return Verdict(False, tuple(causes), unexplained)


def _pops_entirely_down(net: Network, infra_down: set[str]) -> set[int]:
    result = set()
    for node, data in net.graph.nodes(data=True):
        if data.get("kind") != "pop":
            continue
        members = {n for n in net.graph.adj[node] if node_kind(n) == "device"}
        if members and members <= infra_down:
            result.add(node_id(node))
    return result


def _touches_alive(net: Network, members: set[str], alive: set[str], cut: set[str]) -> bool:
    """Whether one of `members` has a live neighbour over an edge not reported down."""
    for member in members:
        for nbr, keys in net.infra.adj[member].items():
            if nbr in members or nbr not in alive:
                continue
            if any(k not in cut for k in keys):
                return True
    return False


def _shadowed(net: Network, members: set[str], found: Impact, down: set[str]) -> set[str]:
    """Down devices behind the root cause: other infra devices cut off, and isolated sites' CPEs."""
    cut_off = reachable_infra(net) - reachable_infra(net, members)
    cpes = {link.cpe for site in found.isolated for link in net.access.get(site, [])}
    return ((cut_off | cpes) & down) - members


def _name(net: Network, node: str) -> str:
    return str(net.graph.nodes[node].get("name", node))


def _link_name(net: Network, key: str) -> str:
    for _u, _v, k, data in net.infra.edges(keys=True, data=True):
        if k == key:
            return f"{_name(net, data['a_end'])} – {_name(net, data['z_end'])}"
    return key
