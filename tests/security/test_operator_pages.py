"""Operator accounts in the web UI: their links, the sites and devices those links reach, their
incidents; every other page refuses them, and another operator's objects are 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.networks import TwoOperators, two_operators

pytestmark = pytest.mark.django_db


@pytest.fixture
def net() -> TwoOperators:
    return two_operators()


@pytest.fixture
def armor_page(net: TwoOperators) -> Client:
    from inventory.accounts import create_operator_user

    client = Client()
    client.force_login(create_operator_user("noc-armor", "Armor Télécom"))
    return client


def leaked(body: bytes, net: TwoOperators) -> list[str]:
    text = body.decode()
    return [m for m in net.foreign_markers if m in text]


def test_operator_pages_show_only_its_own_objects(net: TwoOperators, armor_page: Client) -> None:
    shared = net.shared_site
    cpe = shared.devices.get()
    pages = [
        "/links/", "/establishments/", "/devices/", "/alerting/incidents/", "/operators/",
        f"/links/{net.armor_links[0].pk}/", f"/establishments/{shared.pk}/",
        f"/devices/{cpe.pk}/", f"/alerting/incidents/{net.armor_incident.pk}/",
        f"/operators/{net.armor.pk}/", f"/dashboards/establishments/{shared.pk}/series/",
    ]  # fmt: skip
    for url in pages:
        response = armor_page.get(url)
        assert response.status_code == 200, url
        assert leaked(response.content, net) == [], url
    links_page = armor_page.get("/links/").content.decode()
    assert all(link.circuit_id in links_page for link in net.armor_links)


def test_another_operators_objects_are_not_found(net: TwoOperators, armor_page: Client) -> None:
    bzh = net.breizh_links[0]
    for url in (
        f"/links/{bzh.pk}/",
        f"/establishments/{net.breizh_only_site.pk}/",
        f"/devices/{bzh.a_interface.device_id}/",
        f"/operators/{net.breizh.pk}/",
        f"/alerting/incidents/{net.breizh_incident.pk}/",
        f"/alerting/incidents/{net.syndicate_incident.pk}/",
        f"/dashboards/establishments/{net.breizh_only_site.pk}/series/",
    ):
        assert armor_page.get(url).status_code == 404, url


def test_pages_of_the_whole_network_refuse_operators(net: TwoOperators, armor_page: Client) -> None:
    for url in (
        "/pops/",
        f"/pops/{net.armor_links[0].z_interface.device.pop_id}/",
        "/contracts/",
        "/topology/",
        "/topology/map/",
        "/topology/logical/",
        "/audit/",
        f"/topology/establishments/{net.shared_site.pk}/path/",
    ):
        assert armor_page.get(url).status_code == 403, url
    home = armor_page.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/links/"


def test_the_other_operator_sees_the_shared_site_with_its_own_backup_only(
    net: TwoOperators,
) -> None:
    from inventory.accounts import create_operator_user

    client = Client()
    client.force_login(create_operator_user("noc-bzh", "breizh"))
    page = client.get(f"/establishments/{net.shared_site.pk}/").content.decode()
    assert "BZH-0002" in page
    assert all(link.circuit_id not in page for link in net.armor_links)
    assert "wan0" not in page  # Armor's uplink on the shared CPE
