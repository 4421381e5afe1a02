"""The inventory read into the graph, and the `menhir topology` commands on it."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from menhir.cli import app
from tests.factories.inventory import small_network
from topology.analysis import Network
from topology.loader import load_graph

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_graph_holds_every_site_device_and_link_in_a_fixed_number_of_queries() -> None:
    net = small_network()
    with CaptureQueriesContext(connection) as queries:
        g = load_graph()
    assert len(queries) == 4
    assert sum(1 for _, d in g.nodes(data=True) if d["kind"] == "establishment") == 3
    link_keys = {k for _, _, k, d in g.edges(keys=True, data=True) if d["kind"] == "link"}
    assert link_keys == {f"link:{link.pk}" for link in net["links"]}
    chu = net["sites"][2]
    assert len(Network(g).access[f"establishment:{chu.pk}"]) == 2


def test_spof_json_names_the_pops_with_counts() -> None:
    small_network()
    result = runner.invoke(app, ["topology", "spof", "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["kind"], r["name"]): r for r in json.loads(result.output)}
    # Quimper carries two single-homed sites and the CHU's backup; Rennes the CHU's primary.
    assert rows[("pop", "Quimper")]["isolated_establishments"] == 2
    assert rows[("pop", "Quimper")]["degraded_establishments"] == 1
    assert set(rows[("pop", "Quimper")]) == {
        "id",
        "kind",
        "name",
        "isolated_establishments",
        "degraded_establishments",
    }


def test_impact_json_lists_sites_and_unknown_element_exits_2() -> None:
    net = small_network()
    result = runner.invoke(app, ["topology", "impact", "Rennes", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["isolated_establishments"] == []
    assert [s["code"] for s in body["degraded_establishments"]] == ["CHU-35-001"]
    link = net["links"][0]
    result = runner.invoke(app, ["topology", "impact", f"link:{link.pk}", "--json"])
    assert [s["code"] for s in json.loads(result.output)["isolated_establishments"]] == [
        "LYC-29-001"
    ]
    bad = runner.invoke(app, ["topology", "impact", "Atlantis"])
    assert bad.exit_code == 2
    assert "Atlantis" in bad.output


def test_export_graphml_and_json_round_trip(tmp_path: Path) -> None:
    small_network()
    out = tmp_path / "g.graphml"
    result = runner.invoke(app, ["topology", "export", "--format", "graphml", "--output", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.number_of_nodes() == load_graph().number_of_nodes()
    result = runner.invoke(app, ["topology", "export", "--format", "json", "--pop", "Rennes"])
    data = json.loads(result.output)
    names = {n.get("name") for n in data["nodes"]}
    assert "CHU de Rennes" in names
    assert "Mairie de Quimper" not in names
