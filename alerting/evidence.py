"""Which subscriptions (access links) a maintenance window covers, for the SLA module: a
topology question. The links it names, the links whose CPE or PoP router is under works, and
those whose router is cut off from the core while the named PoPs and devices are down (a
secondary PoP behind a PoP under works); a window naming nothing but an operator covers all of
that operator's links."""

from __future__ import annotations

from alerting.models import MaintenanceWindow
from topology.analysis import Network, reachable_infra
from topology.graph import device_node, link_key, node_id, node_kind, pop_node


def covered_links(net: Network, window: MaintenanceWindow) -> set[int]:
    """The ids of the access links (subscriptions) the window's works take down."""
    pops = list(window.pops.values_list("pk", flat=True))
    devices = list(window.devices.values_list("pk", flat=True))
    links = set(window.links.values_list("pk", flat=True))
    if not (pops or devices or links):
        if window.operator_id is None:
            return set()
        from inventory.models import Link

        return set(Link.objects.filter(operator_id=window.operator_id).values_list("pk", flat=True))
    failed = {device_node(d) for d in devices}
    for pop in pops:
        node = pop_node(pop)
        if node in net.graph:
            failed |= {node} | {n for n in net.graph.adj[node] if node_kind(n) == "device"}
    before = reachable_infra(net)
    after = reachable_infra(net, failed, {link_key(k) for k in links})
    covered = set(links)
    for access_links in net.access.values():
        for link in access_links:
            cut_off = link.router in before and link.router not in after
            if link.router in failed or link.cpe in failed or cut_off:
                covered.add(node_id(link.key))
    return covered
