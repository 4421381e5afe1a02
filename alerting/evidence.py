"""What the SLA module reads from alerting, in the shape of its evaluation file (SLA.md, "The
evaluation file"): a ticket's evidence, and a maintenance window with the subscriptions (access
links) it covers. Which links a window covers is a topology question: the links it names, the
links whose CPE or PoP router is under works, and those whose router is cut off from the core
while the named PoPs and devices are down (a secondary PoP behind a PoP under works)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from alerting.models import Decision, MaintenanceWindow, Ticket
from topology.analysis import Network, reachable_infra
from topology.model import device_node, link_key, node_id, node_kind, pop_node

SubscriptionId = Callable[[int], str]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def ticket_evidence(ticket: Ticket, subscription: SubscriptionId = str) -> dict[str, Any]:
    """One entry of the evaluation file's `tickets` (decided values: only accepted suspensions
    carry `"accepted": true`)."""
    return {
        "id": ticket.reference,
        "subscription": subscription(ticket.link_id) if ticket.link_id is not None else None,
        "opened_at": _iso(ticket.opened_at),
        "fault_start": _iso(ticket.fault_start),
        "acknowledged_at": _iso(ticket.acknowledged_at),
        "restored_at": _iso(ticket.restored_at),
        "imputability": ticket.imputability,
        "suspensions": [
            {
                "start": _iso(s.start),
                "end": _iso(s.end),
                "accepted": s.decision == Decision.ACCEPTED,
            }
            for s in ticket.suspensions.all()
        ],
        "reopenings": [
            {"at": _iso(r.at), "restored_at": _iso(r.restored_at)} for r in ticket.reopenings.all()
        ],
    }


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


def maintenance_evidence(
    net: Network, window: MaintenanceWindow, subscription: SubscriptionId = str
) -> dict[str, Any]:
    """One entry of the evaluation file's `maintenance`."""
    return {
        "subscriptions": [subscription(pk) for pk in sorted(covered_links(net, window))],
        "notified_at": _iso(window.notified_at),
        "planned_start": _iso(window.planned_start),
        "planned_end": _iso(window.planned_end),
        "curative": window.curative,
    }
