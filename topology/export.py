"""The graph as GraphML or node-link JSON, for other tools (yEd, Gephi, scripts)."""

from __future__ import annotations

import io
import json

import networkx as nx


def _clean(g: nx.MultiGraph) -> nx.MultiGraph:
    """GraphML takes str/int/float/bool attributes only: drop the missing ones."""
    h = nx.MultiGraph()
    for node, data in g.nodes(data=True):
        h.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for u, v, key, data in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=key, **{k: v for k, v in data.items() if v is not None})
    return h


def to_graphml(g: nx.MultiGraph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(_clean(g), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_json(g: nx.MultiGraph) -> str:
    data = nx.node_link_data(_clean(g), edges="links")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
