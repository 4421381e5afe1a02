"""Topology pages: SPOF report, geographic map, logical view of the backbone and a PoP's tree,
and the path of one establishment to the core."""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.views import read_role_required
from inventory.choices import EstablishmentCategory
from topology.analysis import Network
from topology.loader import load_graph
from topology.model import device_node, node_kind, pop_node, site_node
from topology.models import DriftFinding, FindingStatus
from topology.reports import breakdown, path_to_core, redundancy, shared_fate, single_homed, spof

ELEMENT_KINDS = {
    "pop": _("PoP"), "device": _("Device"), "link": _("Link"), "operator": _("Operator")
}  # fmt: skip
ELEMENT_ROUTES = {"pop": "inventory:pop", "device": "inventory:device", "link": "inventory:link"}


def _element_url(kind: str, pk: int | str) -> str | None:
    """The page of a failing element (an operator as a whole has its list of links)."""
    if kind in ELEMENT_ROUTES and isinstance(pk, int):
        return reverse(ELEMENT_ROUTES[kind], args=[pk])
    return None


def _category_label(code: str) -> str:
    """The establishment category's human label, never its code."""
    try:
        return str(EstablishmentCategory(code).label)
    except ValueError:
        return code


@read_role_required
def overview(request: HttpRequest) -> HttpResponse:
    net = Network(load_graph())
    entries = spof(net)
    rows = [
        {
            "element": e.element,
            "kind": ELEMENT_KINDS.get(e.element.kind, e.element.kind),
            "url": _element_url(e.element.kind, e.element.id),
            "isolated": len(e.impact.isolated),
            "degraded": len(e.impact.degraded),
            "by_category": {
                _category_label(code): n
                for code, n in breakdown(net, e.impact.isolated, "category").items()
            },
            "by_department": breakdown(net, e.impact.isolated, "department"),
        }
        for e in entries
    ]
    findings = shared_fate(net)
    g = net.graph
    shared = [
        {"site": g.nodes[f.site], "kind": f.kind, "detail": f.detail} for f in findings
    ]  # fmt: skip
    drift = DriftFinding.objects.filter(status=FindingStatus.OPEN).order_by("kind", "a_device")[
        :200
    ]
    return render(request, "topology/overview.html", {
        "spof_rows": rows, "shared": shared, "drift": drift,
        "single_homed": len(single_homed(net)), "sites": len(net.access),
    })  # fmt: skip


@read_role_required
def geographic_map(request: HttpRequest) -> HttpResponse:
    return render(request, "topology/map.html", {})


@read_role_required
def logical(request: HttpRequest) -> HttpResponse:
    """The backbone loop as a circle of PoPs; with `?pop=<id>`, that PoP's tree beneath."""
    g = load_graph()
    pops = sorted(
        (d for _, d in g.nodes(data=True) if d.get("kind") == "pop"), key=lambda d: d["name"]
    )
    ring = _ring_order([p for p in pops if p["pop_kind"] == "backbone"], g)
    size, radius = 520, 200
    positions = {}
    for i, p in enumerate(ring):
        angle = 2 * math.pi * i / max(1, len(ring)) - math.pi / 2
        positions[p["id"]] = (
            size / 2 + radius * math.cos(angle),
            size / 2 + radius * math.sin(angle),
        )
    pairs = zip(ring, ring[1:] + ring[:1], strict=True) if len(ring) > 1 else []
    ring_edges = [(positions[a["id"]], positions[b["id"]]) for a, b in pairs]
    children: dict[int, list[dict[str, Any]]] = {}
    for p in pops:
        if p["parent"] is not None:
            children.setdefault(p["parent"], []).append(p)
    selected = None
    wanted = request.GET.get("pop")
    if wanted:
        if not wanted.isdigit() or pop_node(int(wanted)) not in g:
            raise Http404("No such PoP")
        selected = _pop_tree(g, int(wanted), children)
    return render(request, "topology/logical.html", {
        "size": size, "ring": [(p, positions[p["id"]]) for p in ring], "ring_edges": ring_edges,
        "children": children, "selected": selected,
    })  # fmt: skip


def _ring_order(backbone: list[dict[str, Any]], g: Any) -> list[dict[str, Any]]:
    """Backbone PoPs in loop order, following backbone links from the first by name."""
    if not backbone:
        return []
    pop_of = {n: d.get("pop") for n, d in g.nodes(data=True) if d.get("kind") == "device"}
    adjacent: dict[int, set[int]] = {p["id"]: set() for p in backbone}
    for u, v, d in g.edges(data=True):
        if d.get("kind") == "link" and d.get("role") == "backbone":
            a, b = pop_of.get(u), pop_of.get(v)
            if a in adjacent and b in adjacent and a != b:
                adjacent[a].add(b)
                adjacent[b].add(a)
    by_id = {p["id"]: p for p in backbone}
    order = [min(backbone, key=lambda p: p["name"])["id"]]
    while len(order) < len(backbone):
        nxt = sorted(adjacent[order[-1]] - set(order), key=lambda i: by_id[i]["name"])
        if not nxt:
            nxt = sorted(set(by_id) - set(order), key=lambda i: by_id[i]["name"])
        order.append(nxt[0])
    return [by_id[i] for i in order]


def _pop_tree(g: Any, pop_id: int, children: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    net = Network(g)
    node = pop_node(pop_id)
    routers = sorted(
        (n for n in g.adj[node] if node_kind(n) == "device"), key=lambda n: g.nodes[n]["name"]
    )
    tree = []
    for r in routers:
        sites = sorted(
            ({"site": g.nodes[s], "link": link} for s, link in net.links_at.get(r, [])),
            key=lambda x: x["site"]["code"],
        )
        tree.append({"router": g.nodes[r], "sites": sites})
    return {"pop": g.nodes[node], "routers": tree, "children": children.get(pop_id, [])}


@read_role_required
def site_path(request: HttpRequest, pk: int) -> HttpResponse:
    net = Network(load_graph())
    node = site_node(pk)
    if node not in net.graph:
        raise Http404("No such active establishment")
    return render(request, "topology/path.html", {
        "site": net.graph.nodes[node], "hops": path_to_core(net, node),
        "redundancy": redundancy(net, node), "links": net.access[node],
        "device_node": device_node,
    })  # fmt: skip
