"""`/api/` answers an index of the endpoints (issue 16, point 9), to signed-in accounts only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.common.api.clients import make_user

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_app_and_each_link_answers() -> None:
    client = APIClient()
    client.force_authenticate(make_user("reader", "read"))
    index = client.get("/api/").json()
    assert set(index) == {"inventory", "alerting", "core", "topology", "schema", "docs"}
    assert index["inventory"].endswith("/api/inventory/")
    for url in (index["inventory"], index["alerting"], index["topology"]["spof"]):
        assert client.get(url).status_code == 200, url


def test_the_api_root_needs_a_login() -> None:
    assert APIClient().get("/api/").status_code in (401, 403)


def test_the_operators_page_shows_each_operators_slug() -> None:
    from django.test import Client

    from tests.factories.inventory import OperatorFactory

    OperatorFactory.create(name="Armor Télécom", slug="armor")
    client = Client()
    client.force_login(make_user("page-reader", "read"))
    page = client.get("/operators/").content.decode()
    assert "<td>armor</td>" in page or ">armor<" in page
