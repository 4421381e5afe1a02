"""Topology pages render for a read-only user and show the SPOFs, the ring and a site's path."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.accounts import set_role
from inventory import choices as c
from tests.factories.inventory import InterfaceFactory, LinkFactory, small_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    user = get_user_model().objects.create_user("staff", password="pw-staff-123")
    set_role(user, "read")
    client.force_login(user)
    return client


def test_pages_need_a_login(client: Client) -> None:
    for url in ("/topology/", "/topology/map/", "/topology/logical/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_overview_lists_pops_that_isolate_sites(staff: Client) -> None:
    small_network()
    html = staff.get("/topology/").content.decode()
    assert 'id="spof"' in html
    assert "Quimper" in html
    assert "Lycée 1" in html  # the category's label, never its code (issue 16, point 9)
    assert "lycee 1" not in html
    assert 'href="/pops/' in html  # each element links to its page


def test_logical_view_draws_the_ring_and_a_pop_tree(staff: Client) -> None:
    net = small_network()
    quimper = net["pops"][0]
    html = staff.get(f"/topology/logical/?pop={quimper.pk}").content.decode()
    assert "Lycée de Cornouaille" in html
    assert "quimper-rtr1" in html
    assert staff.get("/topology/logical/?pop=999999").status_code == 404


def test_site_path_page(staff: Client) -> None:
    net = small_network()
    chu = net["sites"][2]
    html = staff.get(f"/topology/establishments/{chu.pk}/path/").content.decode()
    assert "2 edge-disjoint" in html
    assert "rennes-rtr1" in html


def test_a_login_without_role_sees_no_topology(client: Client) -> None:
    user = get_user_model().objects.create_user("nobody", password="pw-nobody-123")
    client.force_login(user)
    assert client.get("/topology/").status_code == 403


def test_logical_view_coordinates_keep_a_decimal_point_in_french(settings: Any) -> None:
    """French writes 1,5 for 1.5: the SVG's numbers must not follow (localize off)."""
    settings.LANGUAGE_CODE = "fr"  # before the login, which settles the session's language
    user = get_user_model().objects.create_user("lecteur", password="pw-lecteur-123")
    set_role(user, "read")
    staff = Client()
    staff.force_login(user)
    net = small_network()
    quimper = net["pops"][0]
    router_q, router_r = net["routers"]
    LinkFactory.create(
        operator=net["operator"],
        establishment=None,
        role=c.LinkRole.BACKBONE,
        a_interface=InterfaceFactory.create(device=router_q, role=c.InterfaceRole.BACKBONE),
        z_interface=InterfaceFactory.create(device=router_r, role=c.InterfaceRole.BACKBONE),
    )
    html = staff.get(f"/topology/logical/?pop={quimper.pk}").content.decode()
    assert "Vue logique" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    numbers = re.findall(r' (?:x|y|x1|y1|x2|y2|cx|cy|r)="([^"]*)"', svg)
    assert len(numbers) > 10
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers
    assert svg.count('class="ring-link"') == 1  # the backbone link Quimper–Rennes
    assert "topology/topology.css" in html  # the drawing's stylesheet
