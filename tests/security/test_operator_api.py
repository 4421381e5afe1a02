"""Operator accounts over the API: every endpoint, found by walking the URL resolver (so a new
endpoint is covered without editing this file), either refuses an operator's token or answers
with that operator's own objects only; nothing is writable except acknowledging its incidents.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from common.scoping import is_scoped
from tests.common.api.clients import token_client
from tests.security.networks import TwoOperators, two_operators

pytestmark = pytest.mark.django_db

ARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def api_patterns() -> list[tuple[str, Any]]:
    """(route template, view callback) of every DRF endpoint under /api/."""
    found: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern).lstrip("^"))
            elif isinstance(p, URLPattern):
                route = "/" + prefix + str(p.pattern).lstrip("^").rstrip("$")
                if route.startswith("/api/") and "format" not in route:
                    found.append((route, p.callback))

    walk(get_resolver().url_patterns, "")
    return sorted({r: cb for r, cb in found if hasattr(cb, "cls")}.items())


PATTERNS = api_patterns()
# The API's description is the same for everyone logged in; it holds no object.
DESCRIPTION = {"/api/", "/api/schema/", "/api/docs/"}


def model_of(callback: Any) -> Any:
    queryset = getattr(callback.cls, "queryset", None)
    return getattr(queryset, "model", None)


def methods_of(callback: Any) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # (DRF adds `head` to this mapping after the route's first request)
        return sorted(set(actions) | ({"head"} if "get" in actions else set()))
    return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(callback.cls, m)]


def foreign_object(model: Any, net: TwoOperators) -> Any:
    """An object of `model` the Armor account must not see (Breizh's, or any for unscoped)."""
    from alerting.models import Incident
    from inventory import models as m

    breizh_link = net.breizh_links[0]
    foreign = {
        m.Link: breizh_link,
        m.Establishment: net.breizh_only_site,
        m.Device: breizh_link.a_interface.device,
        m.Interface: breizh_link.a_interface,
        m.Operator: net.breizh,
        Incident: net.breizh_incident,
    }
    if model in foreign:
        return foreign[model]
    return model._default_manager.order_by("pk").first() if model is not None else None


def fill(route: str, obj: Any) -> str:
    pk = str(obj.pk) if obj is not None else "1"
    return ARG.sub(lambda _m: pk, route)


@pytest.fixture
def net() -> TwoOperators:
    return two_operators()


@pytest.fixture
def armor_noc(net: TwoOperators) -> APIClient:
    from inventory.accounts import create_operator_token

    _, key = create_operator_token("noc-armor", "armor")
    return token_client(key)


def assert_clean(body: str, net: TwoOperators, where: str) -> None:
    leaked = [m for m in net.foreign_markers if m in body]
    assert leaked == [], f"{where} shows another operator's objects: {leaked}"


def test_the_walk_finds_the_endpoints() -> None:
    routes = [r for r, _ in PATTERNS]
    assert "/api/inventory/links/" in routes
    assert "/api/alerting/incidents/<pk>/ack/" in [ARG.sub("<pk>", r) for r in routes]
    assert "/api/core/audit/" in routes
    assert len(routes) > 40


@pytest.mark.parametrize(("route", "callback"), PATTERNS, ids=[r for r, _ in PATTERNS])
def test_operator_token_never_reaches_another_operators_objects(
    route: str, callback: Any, net: TwoOperators, armor_noc: APIClient
) -> None:
    model = model_of(callback)
    target = foreign_object(model, net)
    url = fill(route, target)
    for method in methods_of(callback):
        response = getattr(armor_noc, method)(url, data={}, format="json")
        where = f"{method.upper()} {url}"
        assert response.status_code < 500, where
        if method in ("get", "head") and response.status_code == 200:
            assert is_scoped(model) or route in DESCRIPTION, f"{where}: unscoped, answered"
            assert_clean(response.content.decode(), net, where)
        else:
            assert response.status_code in (403, 404, 405), f"{where}: {response.status_code}"


def test_operator_lists_hold_exactly_its_own_objects(
    net: TwoOperators, armor_noc: APIClient
) -> None:
    links = armor_noc.get("/api/inventory/links/?limit=100").json()
    assert sorted(r["circuit_id"] for r in links["results"]) == sorted(
        link.circuit_id for link in net.armor_links
    )
    sites = armor_noc.get("/api/inventory/establishments/").json()
    assert sorted(r["code"] for r in sites["results"]) == sorted(s.code for s in net.armor_sites)
    operators = armor_noc.get("/api/inventory/operators/").json()
    assert [r["slug"] for r in operators["results"]] == ["armor"]
    interfaces = armor_noc.get("/api/inventory/interfaces/?limit=100").json()
    ends = {link.a_interface_id for link in net.armor_links} | {
        link.z_interface_id for link in net.armor_links
    }
    assert {r["id"] for r in interfaces["results"]} == ends
    incidents = armor_noc.get("/api/alerting/incidents/").json()
    assert [r["id"] for r in incidents["results"]] == [net.armor_incident.pk]
    export = armor_noc.get("/api/inventory/links/?format=csv")
    assert export.status_code == 200
    assert_clean(export.content.decode(), net, "links CSV export")


def test_operator_acknowledges_its_own_incident_only(
    net: TwoOperators, armor_noc: APIClient
) -> None:
    own = armor_noc.post(f"/api/alerting/incidents/{net.armor_incident.pk}/ack/")
    assert own.status_code == 200
    assert own.json()["by"] == "noc-armor"
    for other in (net.breizh_incident, net.syndicate_incident):
        refused = armor_noc.post(f"/api/alerting/incidents/{other.pk}/ack/")
        assert refused.status_code == 404
        other.refresh_from_db()
        assert other.acknowledged_at is None


def test_operator_cannot_write_even_its_own_objects(
    net: TwoOperators, armor_noc: APIClient
) -> None:
    link = net.armor_links[0]
    assert (
        armor_noc.patch(
            f"/api/inventory/links/{link.pk}/", {"duct": "x"}, format="json"
        ).status_code
        == 403
    )
    assert armor_noc.delete(f"/api/inventory/links/{link.pk}/").status_code == 403
    assert armor_noc.post("/api/core/tokens/", {}, format="json").status_code == 403


def test_operator_gets_no_change_history_even_of_its_own_links(
    net: TwoOperators, armor_noc: APIClient, reader: APIClient
) -> None:
    url = f"/api/inventory/links/{net.armor_links[0].pk}/changes/"
    assert reader.get(url).json()["count"] >= 1
    own = armor_noc.get(url)
    assert own.status_code == 200
    assert own.json()["count"] == 0


def test_operator_account_bound_to_nothing_sees_nothing(client_for: Any) -> None:
    two_operators()
    unbound = client_for("operator")
    assert unbound.get("/api/inventory/links/").json()["count"] == 0


def test_staff_roles_still_see_everything(net: TwoOperators, reader: APIClient) -> None:
    assert reader.get("/api/inventory/links/").json()["count"] == 6
    assert reader.get("/api/alerting/incidents/").json()["count"] == 3


def test_operator_role_cannot_be_given_over_the_api(admin: APIClient) -> None:
    response = admin.post("/api/core/users/", {"username": "x", "role": "operator"}, format="json")
    assert response.status_code == 400
    assert "menhir user create" in str(response.json())


def test_operator_records_its_ticket_on_its_own_incident_only(
    net: TwoOperators, armor_noc: APIClient
) -> None:
    path = "/api/alerting/incidents/{}/ticket/"
    own = armor_noc.post(path.format(net.armor_incident.pk), {"reference": "ARM-77"}, format="json")
    assert own.status_code == 200
    net.armor_incident.refresh_from_db()
    assert net.armor_incident.ticket_reference == "ARM-77"
    for other in (net.breizh_incident, net.syndicate_incident):
        refused = armor_noc.post(path.format(other.pk), {"reference": "X"}, format="json")
        assert refused.status_code == 404
        other.refresh_from_db()
        assert other.ticket_reference == ""


def test_operator_acts_on_its_own_incident_from_the_page(net: TwoOperators) -> None:
    """The incident page's buttons for an operator account: acknowledge and record its ticket
    reference on its own incident; another's is a 404 and stays untouched."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from inventory.accounts import make_operator_account

    user = get_user_model().objects.create_user("armor-page", password="pw-operator-12345")
    make_operator_account(user, net.armor_incident.operator)
    client = Client()
    client.force_login(user)
    own = net.armor_incident
    page = client.get(f"/alerting/incidents/{own.pk}/").content.decode()
    assert 'id="ack-button"' in page
    assert 'id="ticket-form"' in page
    assert client.post(f"/alerting/incidents/{own.pk}/ack/").status_code == 302
    assert (
        client.post(f"/alerting/incidents/{own.pk}/ticket/", {"reference": "ARM-8"}).status_code
        == 302
    )
    own.refresh_from_db()
    assert own.acknowledged_by == "armor-page"
    assert own.ticket_reference == "ARM-8"
    for other in (net.breizh_incident, net.syndicate_incident):
        assert client.post(f"/alerting/incidents/{other.pk}/ack/").status_code == 404
        assert (
            client.post(f"/alerting/incidents/{other.pk}/ticket/", {"reference": "X"}).status_code
            == 404
        )
        other.refresh_from_db()
        assert (other.acknowledged_at, other.ticket_reference) == (None, "")
