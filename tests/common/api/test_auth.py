"""Every API endpoint refuses anonymous callers and callers without a role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def list_routes() -> list[str]:
    """Every `/api/<app>/<things>/` list route the routers declare."""
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and str(p.name or "").endswith("-list"):
                routes.append("/" + prefix + str(p.pattern).lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted({r for r in routes if r.startswith("/api/") and "(?P<format>" not in r})


ROUTES = list_routes()


def test_every_model_has_a_route() -> None:
    assert "/api/inventory/service-classes/" in ROUTES
    assert "/api/core/changes/" in ROUTES
    assert len([r for r in ROUTES if r.startswith("/api/inventory/")]) == 13


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_gets_401_and_roleless_user_403(route: str, client_for: Any) -> None:
    anonymous = APIClient()
    for method in ("get", "post", "put", "patch", "delete"):
        assert getattr(anonymous, method)(route, [], format="json").status_code == 401
    roleless = client_for(None)
    assert roleless.get(route).status_code == 403
    assert roleless.post(route, {}, format="json").status_code == 403


def test_relations_by_unknown_id_or_key_are_field_errors(client_for: Any) -> None:
    editor = client_for("edit")
    for commune in (2**70, -1, "99999", True, ["29232"], {"name__startswith": "Q"}):
        body = {"code": "X", "name": "X", "category": "ecole", "commune": commune}
        response = editor.post("/api/inventory/establishments/", body, format="json")
        assert response.status_code == 400, (commune, response.content)
        assert "commune" in response.json()
