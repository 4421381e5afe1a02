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
from topology.graph import device_node, node_kind, pop_node, site_node
from topology.loader import load_graph
from topology.models import DriftFinding, FindingStatus
from topology.reports import breakdown, path_to_core, redundancy, shared_fate, single_homed, spof

ELEMENT_KINDS = {
    "pop": _("PoP"),
    "device": _("Device"),
    "link": _("Link"),
    "operator": _("Operator"),
}
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
    shared = [{"site": g.nodes[f.site], "kind": f.kind, "detail": f.detail} for f in findings]
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
    return render(request, "topology/logical.html", logical_context(request))


# The logical view's drawing, in SVG user units: the loop's centre and radius, and how far the
# secondary PoPs of the selected backbone PoP sit inside the loop from it. The view box leaves
# room around the loop for the longest names (written outwards, never clipped).
LOGICAL_WIDTH, LOGICAL_HEIGHT = 700, 530
LOGICAL_RADIUS, LOGICAL_SPOKE = 205, 110


def _label(x: float, y: float, cx: float, cy: float, gap: float) -> dict[str, Any]:
    """Where a PoP's name goes: beyond its circle, away from the loop's centre, anchored so the
    text runs outwards (start on the right, end on the left, centred at the top and bottom)."""
    dx, dy = x - cx, y - cy
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    anchor = "start" if ux > 0.35 else "end" if ux < -0.35 else "middle"
    return {
        "x": round(x + ux * gap, 1),
        "y": round(y + uy * gap + (4 if uy > 0.35 else -4 if uy < -0.35 else 0), 1),
        "anchor": anchor,
    }


def logical_context(request: HttpRequest) -> dict[str, Any]:
    """What the logical view draws: the backbone PoPs on a circle in loop order with the
    backbone links between them, and for a selected PoP (`?pop=<id>`) the secondary PoPs of
    its backbone PoP inside the loop, and the tree of routers and access links beneath it."""
    g = load_graph()
    pops = sorted(
        (d for _, d in g.nodes(data=True) if d.get("kind") == "pop"), key=lambda d: d["name"]
    )
    by_id = {p["id"]: p for p in pops}
    ring = _ring_order([p for p in pops if p["pop_kind"] == "backbone"], g)
    cx, cy = LOGICAL_WIDTH / 2, LOGICAL_HEIGHT / 2
    positions: dict[int, tuple[float, float]] = {}
    for i, p in enumerate(ring):
        angle = 2 * math.pi * i / max(1, len(ring)) - math.pi / 2
        positions[p["id"]] = (
            round(cx + LOGICAL_RADIUS * math.cos(angle), 1),
            round(cy + LOGICAL_RADIUS * math.sin(angle), 1),
        )
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
    # The selected PoP's backbone PoP (itself, or the parent of a secondary one) fans out its
    # secondary PoPs towards the centre of the loop.
    hub = None
    if selected is not None:
        pop = selected["pop"]
        hub = pop["id"] if pop["id"] in positions else pop["parent"]
    fan = children.get(hub, []) if hub in positions else []
    if fan and hub is not None:
        hx, hy = positions[hub]
        base = math.atan2(cy - hy, cx - hx)
        spread = min(math.pi / 2, 0.45 * (len(fan) - 1))
        for i, p in enumerate(fan):
            angle = base + (spread * (i / (len(fan) - 1) - 0.5) if len(fan) > 1 else 0)
            positions[p["id"]] = (
                round(hx + LOGICAL_SPOKE * math.cos(angle), 1),
                round(hy + LOGICAL_SPOKE * math.sin(angle), 1),
            )
    links = _pop_links(g)
    edges = []
    for a, b in sorted(links):
        if (
            a in positions
            and b in positions
            and (by_id[a]["pop_kind"] == by_id[b]["pop_kind"] or hub in (a, b))
        ):
            edges.append({
                "a": positions[a], "b": positions[b],
                "kind": "ring-link" if by_id[a]["pop_kind"] == by_id[b]["pop_kind"] == "backbone"
                else "ring-spoke",
                "names": (by_id[a]["name"], by_id[b]["name"]),
            })  # fmt: skip
    for p in fan:  # a secondary PoP hangs off its parent even without a backbone link of its own
        if not any({p["id"], hub} == set(pair) for pair in links) and hub is not None:
            edges.append({
                "a": positions[hub], "b": positions[p["id"]], "kind": "ring-spoke",
                "names": (by_id[hub]["name"], p["name"]),
            })  # fmt: skip
    selected_id = selected["pop"]["id"] if selected else None
    nodes = []
    for p in [*ring, *fan]:
        x, y = positions[p["id"]]
        backbone = p["pop_kind"] == "backbone"
        nodes.append({
            "pop": p, "x": x, "y": y, "r": 22 if backbone else 13, "backbone": backbone,
            "selected": p["id"] == selected_id,
            "label": _label(x, y, cx, cy, (22 if backbone else 13) + 6)
            if backbone else {"x": x, "y": round(y + 13 + 14, 1), "anchor": "middle"},
        })  # fmt: skip
    return {
        "width": LOGICAL_WIDTH, "height": LOGICAL_HEIGHT, "nodes": nodes, "edges": edges,
        "ring": ring, "children": children, "selected": selected,
        "selected_on_ring": selected_id in positions if selected_id else False,
    }  # fmt: skip


def _pop_links(g: Any) -> set[tuple[int, int]]:
    """Pairs of PoPs joined by at least one backbone link (between their devices)."""
    pop_of = {n: d.get("pop") for n, d in g.nodes(data=True) if d.get("kind") == "device"}
    pairs = set()
    for u, v, d in g.edges(data=True):
        if d.get("kind") == "link" and d.get("role") == "backbone":
            a, b = pop_of.get(u), pop_of.get(v)
            if a is not None and b is not None and a != b:
                pairs.add((min(a, b), max(a, b)))
    return pairs


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
