"""What the maps draw: department outlines, PoPs, backbone links and sites, as plain JSON data."""

from __future__ import annotations

import hashlib
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


# What an operator's account reads of a site on the map (common.scoping's allow-list spirit):
# not which PoPs serve it nor how many links, other operators' included, reach it.
OPERATOR_SITE_FIELDS = ("id", "code", "name", "category", "department", "criticality", "lat", "lon")


def operator_map_data(data: dict[str, Any], site_ids: set[int]) -> dict[str, Any]:
    """`data` as an operator's account sees it: the outlines and its own sites, nothing of the
    syndicate's (PoPs, backbone) or of other operators."""
    sites = [
        {**{k: s[k] for k in OPERATOR_SITE_FIELDS}, "pops": []}
        for s in data["sites"]
        if s["id"] in site_ids
    ]
    return {"departments": data["departments"], "pops": [], "backbone": [], "sites": sites}


# What the map is drawn from: a row count, the highest id and the last change of each, in one
# query. Every change made through Menhir (UI, API, import, discovery) moves one of them.
_VERSION_SQL = " UNION ALL ".join(
    f"SELECT '{table}', count(*), max(id), {stamp} FROM {table}"
    for table, stamp in (
        ("inventory_pop", "max(last_updated)"),
        ("inventory_device", "max(last_updated)"),
        ("inventory_interface", "max(last_updated)"),
        ("inventory_link", "max(last_updated)"),
        ("inventory_establishment", "max(last_updated)"),
        ("inventory_operator", "max(last_updated)"),
        ("inventory_commune", "NULL::timestamptz"),
    )
)


def map_version() -> str:
    """A short fingerprint of the inventory the maps draw: equal fingerprints, equal data."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(_VERSION_SQL)
        rows = cur.fetchall()
    text = ";".join(f"{t}:{n}:{m}:{s.isoformat() if s else ''}" for t, n, m, s in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


_cache: dict[str, dict[str, Any]] = {}


def cached_map_data(version: str) -> dict[str, Any]:
    """`map_data` of the current inventory, built once per fingerprint in each process."""
    data = _cache.get(version)
    if data is None:
        from topology.loader import load_graph

        data = map_data(load_graph())
        _cache.clear()
        _cache[version] = data
    return data
