"""Search that finds things (issue 16, point 8): case and accents ignored, every word must
match, ranked, the same matching in the API's `?q=`, and an operator's own objects only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inventory.accounts import make_operator_account
from tests.factories.alerting import incident
from tests.factories.inventory import (
    CommuneFactory,
    DepartmentFactory,
    EstablishmentFactory,
    OperatorFactory,
    small_network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places() -> dict[str, Any]:
    net = small_network()
    d29 = net["sites"][0].commune.department
    brest = CommuneFactory.create(insee="29019", name="Brest", department=d29)
    d22 = DepartmentFactory.create(code="22", name="Côtes-d'Armor")
    guingamp = CommuneFactory.create(insee="22070", name="Guingamp", department=d22)
    net["brest_lycee"] = EstablishmentFactory.create(
        code="LYC-29-100", name="Lycée de l'Harteloire", commune=brest, category="lycee"
    )
    net["hopital"] = EstablishmentFactory.create(
        code="HOP-22-001", name="Hôpital de Guingamp", commune=guingamp, category="health"
    )
    net["brest_mairie"] = EstablishmentFactory.create(
        code="MAI-29-019", name="Mairie de Brest", commune=brest
    )
    return net


def found(client: Client, text: str) -> dict[str, list[str]]:
    """Result labels per group title on the search page."""
    page = client.get("/search/", {"q": text})
    assert page.status_code == 200
    body = page.content.decode()
    groups = {}
    for section in re.findall(r'data-testid="search-group">(.*?)</section>', body, re.S):
        title = re.search(r"<h2[^>]*>([^<]+?) <span", section)
        assert title is not None
        labels = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section)
        groups[title.group(1)] = [label.replace("&#x27;", "'") for label in labels]
    return groups


def test_case_and_accents_are_ignored_and_every_word_must_match(
    places: dict[str, Any], reader_client: Client
) -> None:
    assert found(reader_client, "lycee")["Establishments"] == [
        "Lycée de Cornouaille",
        "Lycée de l'Harteloire",
    ]
    assert found(reader_client, "HOPITAL")["Establishments"] == ["Hôpital de Guingamp"]
    # "lycée brest": the word brest matches the commune, lycée the name
    assert found(reader_client, "lycée brest")["Establishments"] == ["Lycée de l'Harteloire"]
    assert found(reader_client, "lycee guingamp") == {}
    communes = found(reader_client, "guingamp")
    assert communes["Communes"] == ["Guingamp"]
    assert communes["Establishments"] == ["Hôpital de Guingamp"]


def test_codes_pops_devices_circuits_and_incidents(
    places: dict[str, Any], reader_client: Client
) -> None:
    assert found(reader_client, "hop-22-001")["Establishments"] == ["Hôpital de Guingamp"]
    assert found(reader_client, "quimper")["PoPs"] == ["Quimper"]
    assert found(reader_client, "QUIMPER-RTR")["Devices"] == ["quimper-rtr1"]
    circuit = places["links"][0].circuit_id
    assert found(reader_client, circuit.lower())["Links"] == [circuit]
    made = incident(places["pops"][0], start=places["links"][0].service_start)
    assert found(reader_client, f"#{made.pk}")["Incidents"][0].startswith(f"#{made.pk} PoP down")


def test_exact_code_then_prefix_then_similarity(
    places: dict[str, Any], reader_client: Client
) -> None:
    brest = places["brest_mairie"].commune
    EstablishmentFactory.create(code="BREST", name="Maison de Brest-Océan", commune=brest)
    EstablishmentFactory.create(code="ECO-1", name="Brest Écoles", commune=brest)
    assert found(reader_client, "brest")["Establishments"][:2] == [
        "Maison de Brest-Océan",  # its code is the query
        "Brest Écoles",  # its name starts with it
    ]


def test_the_api_q_matches_the_same_way(places: dict[str, Any], reader_client: Client) -> None:
    def codes(query: str) -> list[str]:
        body = reader_client.get("/api/inventory/establishments/", {"q": query}).json()
        return sorted(row["code"] for row in body["results"])

    assert codes("lycee") == ["LYC-29-001", "LYC-29-100"]
    assert codes("lycée brest") == ["LYC-29-100"]
    assert codes("HOPITAL") == ["HOP-22-001"]
    # and the list page's search box
    page = reader_client.get("/establishments/", {"q": "hopital"}).content.decode()
    assert "Hôpital de Guingamp" in page
    assert "1 result" in page


def test_an_operator_finds_only_its_own(places: dict[str, Any]) -> None:
    other = OperatorFactory.create(slug="other")
    user = get_user_model().objects.create_user("other-noc", password="pw-operator-12345")
    make_operator_account(user, other)
    client = Client()
    client.force_login(user)
    assert found(client, "lycee") == {}
    assert found(client, "quimper") == {}  # PoPs are the syndicate's


def test_a_fixed_number_of_queries(places: dict[str, Any], reader_client: Client) -> None:
    def count(text: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            reader_client.get("/search/", {"q": text})
        return len(queries)

    small = count("de")
    for n in range(30):
        EstablishmentFactory.create(
            name=f"Ecole de Plouhinec {n}", commune=places["hopital"].commune
        )
    assert count("de") == small
