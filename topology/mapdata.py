"""What the maps draw: department outlines, PoPs, backbone links and sites, as plain JSON data."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

import inventory
from topology.analysis import Network

OUTLINES = Path(inventory.__file__).parent / "data" / "departements_bretagne.geojson"


@lru_cache(maxsize=1)
def department_outlines() -> list[dict[str, Any]]:
    """The four departments' outlines (IGN Admin Express), as lists of [lon, lat] rings."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = [
            [[round(x, 4), round(y, 4)] for x, y in ring]
            for polygon in polygons
            for ring in polygon
        ]
        out.append(
            {
                "code": feature["properties"]["code"],
                "name": feature["properties"]["nom"],
                "rings": rings,
            }
        )
    return out


def map_data(g: nx.MultiGraph) -> dict[str, Any]:
    """Everything the geographic and logical maps need, from the topology graph."""
    net = Network(g)
    pops = []
    for _node, d in g.nodes(data=True):
        if d.get("kind") == "pop":
            pops.append({
                "id": d["id"], "name": d["name"], "kind": d["pop_kind"], "parent": d["parent"],
                "lat": d["lat"], "lon": d["lon"],
            })  # fmt: skip
    device_pop = {n: d.get("pop") for n, d in g.nodes(data=True) if d.get("kind") == "device"}
    backbone = []
    seen: set[tuple[int, int]] = set()
    for u, v, d in g.edges(data=True):
        if d.get("kind") != "link" or d.get("role") != "backbone":
            continue
        pa, pb = device_pop.get(u), device_pop.get(v)
        if pa is None or pb is None or pa == pb:
            continue
        pair = (min(pa, pb), max(pa, pb))
        if pair not in seen:
            seen.add(pair)
            backbone.append({"a": pair[0], "b": pair[1], "operator": d.get("operator", "")})
    sites = []
    for site, links in net.access.items():
        d = g.nodes[site]
        pop_ids = sorted({p for link in links if (p := device_pop.get(link.router)) is not None})
        sites.append({
            "id": d["id"], "code": d["code"], "name": d["name"], "category": d["category"],
            "department": d["department"], "criticality": d["criticality"], "lat": d["lat"],
            "lon": d["lon"], "pops": pop_ids, "links": len(links),
        })  # fmt: skip
    sites.sort(key=lambda s: s["code"])
    return {
        "departments": department_outlines(),
        "pops": pops,
        "backbone": backbone,
        "sites": sites,
    }
