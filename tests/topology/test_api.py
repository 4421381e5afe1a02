"""The topology API: roles, SPOF, impact with ?fail=, path and redundancy, findings, export."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.accounts import create_token, set_role
from inventory.accounts import create_operator_token
from tests.factories.inventory import EstablishmentFactory, small_network
from tests.security.networks import two_operators

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader() -> Client:
    _, key = create_token("staff", "read")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_anonymous_gets_nothing(client: Client) -> None:
    for url in (
        "/api/topology/spof/",
        "/api/topology/impact/?fail=Rennes",
        "/api/topology/export/",
    ):
        assert client.get(url).status_code in (401, 403), url


def test_spof_and_impact(reader: Client) -> None:
    small_network()
    rows = reader.get("/api/topology/spof/").json()
    quimper = next(r for r in rows if r["kind"] == "pop" and r["name"] == "Quimper")
    assert quimper["isolated_establishments"] == 2
    assert quimper["isolated_by_category"] == {"local_authority": 1, "lycee": 1}
    body = reader.get("/api/topology/impact/", {"fail": "pop:Quimper"}).json()
    assert [s["code"] for s in body["isolated_establishments"]] == ["LYC-29-001", "MAI-29-002"]
    assert [s["code"] for s in body["degraded_establishments"]] == ["CHU-35-001"]


def test_impact_needs_a_known_element(reader: Client) -> None:
    small_network()
    assert reader.get("/api/topology/impact/").status_code == 400
    response = reader.get("/api/topology/impact/", {"fail": "nowhere"})
    assert response.status_code == 400
    assert "nowhere" in response.json()["fail"]


def test_path_and_redundancy_of_a_dual_homed_site(reader: Client) -> None:
    net = small_network()
    chu = net["sites"][2]
    body = reader.get(f"/api/topology/establishments/{chu.pk}/path/").json()
    assert body["edge_disjoint_paths"] == 2
    assert body["node_disjoint_paths"] == 2
    assert [h["name"] for h in body["path"]][:3] == [
        "CHU de Rennes",
        chu.devices.get().name,
        "rennes-rtr1",
    ]
    assert reader.get("/api/topology/establishments/999999/path/").status_code == 404


def test_export_formats(reader: Client) -> None:
    small_network()
    graphml = reader.get("/api/topology/export/", {"graph_format": "graphml"})
    assert graphml.status_code == 200
    assert graphml.content.startswith(b"<?xml")
    assert reader.get("/api/topology/export/").json()["nodes"]
    assert reader.get("/api/topology/export/", {"graph_format": "png"}).status_code == 400


def test_map_data_is_revalidated_by_etag_rebuilt_on_change_and_compressed(
    reader: Client, django_assert_max_num_queries: Any
) -> None:
    net = small_network()
    first = reader.get("/api/topology/map/", HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200
    assert first["Content-Encoding"] == "gzip"
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    body = json.loads(gzip.decompress(first.content))
    assert {s["code"] for s in body["sites"]} == {s.code for s in net["sites"]}
    with django_assert_max_num_queries(3):  # the token, the fingerprint: never the graph
        again = reader.get("/api/topology/map/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag.removeprefix("W/")  # weak only when compressed
    assert again.content == b""
    with django_assert_max_num_queries(3):  # built once per fingerprint
        assert reader.get("/api/topology/map/").json() == body
    site = net["sites"][0]
    site.name = "Lycée renommé"
    site.save()  # any change through Menhir moves the fingerprint
    changed = reader.get("/api/topology/map/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"].removeprefix("W/") != etag.removeprefix("W/")
    names = {s["code"]: s["name"] for s in changed.json()["sites"]}
    assert names[site.code] == "Lycée renommé"
    added = EstablishmentFactory.create()
    assert added.code in {s["code"] for s in reader.get("/api/topology/map/").json()["sites"]}


def test_map_data_for_an_operator_holds_its_own_sites_only() -> None:
    """The incident page's map for an operator's account: not a 403, but its own
    establishments (those its links serve), with no PoP, backbone or other operator's site."""
    net = two_operators()
    _, key = create_operator_token("noc-armor-map", "armor")
    armor = Client(HTTP_AUTHORIZATION=f"Token {key}")
    answer = armor.get("/api/topology/map/")
    assert answer.status_code == 200
    body = answer.json()
    assert sorted(s["code"] for s in body["sites"]) == sorted(s.code for s in net.armor_sites)
    assert body["pops"] == []
    assert body["backbone"] == []
    assert all(s["pops"] == [] and "links" not in s for s in body["sites"])
    assert len(body["departments"]) == 4
    text = answer.content.decode()
    assert [m for m in net.foreign_markers if m in text] == []
    _, staff_key = create_token("staff-map", "read")
    staff = Client(HTTP_AUTHORIZATION=f"Token {staff_key}").get("/api/topology/map/")
    assert len(staff.json()["sites"]) > len(body["sites"])
    assert staff["ETag"] != answer["ETag"]  # a browser switching accounts never reuses one
    unbound = Client()
    user = get_user_model().objects.create_user("noc-nobody", password="pw-nobody-12345")
    set_role(user, "operator")
    unbound.force_login(user)
    assert unbound.get("/api/topology/map/").json()["sites"] == []


def test_map_data_names_the_optional_tile_server(reader: Client, settings: Any) -> None:
    small_network()
    assert reader.get("/api/topology/map/").json()["tiles"] == {"url": "", "attribution": ""}
    settings.MENHIR_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MENHIR_MAP_TILE_ATTRIBUTION = "© Example"
    tiles = reader.get("/api/topology/map/").json()["tiles"]
    assert tiles == {"url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "© Example"}
