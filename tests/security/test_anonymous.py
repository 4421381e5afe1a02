"""Every page and API endpoint refuses anonymous visitors, except an explicit allow-list.

The walk covers every URL pattern in the resolver (pages, API, admin, schema), so a page added
without a login check fails here. Refused means: a redirect to a login page (pages), or 401/403
(API); never 200 and never 5xx.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Reachable without a login, each for a reason (docs/security.md):
ALLOWED = {
    "/health",  # liveness probe (load balancers, docker health checks)
    "/metrics",  # Prometheus scrape, protected by its own scrape token
    "/login/",  # the login form itself
    "/admin/login/",  # the Django admin's login form
    "/alerting/ack/<arg>/",  # signed, expiring acknowledgement links sent in pages
    "/jsi18n/",  # the scripts' translation catalogue: public words, used on the login page too
    "/favicon.ico",  # a redirect to the site's icon, a public static file
}
ARG = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")
OPTIONAL_TAIL = re.compile(r"\(\?:[^)]*\)\?|\\\.|\$|\^")


def all_routes() -> list[str]:
    """Every URL pattern of the site as a path template with `<arg>` for its parameters."""
    routes: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            piece = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + piece.lstrip("^"))
            elif isinstance(p, URLPattern):
                route = "/" + prefix + piece.lstrip("^")
                if "(?P<format>" in route or ":format>" in route:  # the .json/.csv twins
                    continue
                route = ARG.sub("<arg>", route)
                routes.add(OPTIONAL_TAIL.sub("", route).replace(".*", "x"))

    walk(get_resolver().url_patterns, "")
    return sorted(routes)


ROUTES = all_routes()


def concrete(route: str) -> str:
    return route.replace("<arg>", "1")


def refused(response: Any) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return False


def test_the_walk_sees_pages_api_and_admin() -> None:
    assert "/links/" in ROUTES
    assert "/api/inventory/links/" in ROUTES
    assert "/api/schema/" in ROUTES
    assert "/audit/" in ROUTES
    assert any(r.startswith("/admin/") for r in ROUTES)
    assert len(ROUTES) > 80


def test_the_allow_list_names_only_real_routes() -> None:
    stale = sorted(a for a in ALLOWED if a not in ROUTES and a != "/metrics")
    assert stale == []


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_are_refused(route: str) -> None:
    if route in ALLOWED:
        pytest.skip("on the allow-list")
    client = Client()
    url = concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code < 500, f"{method.upper()} {url}"
        assert refused(response), f"{method.upper()} {url} answered {response.status_code}"


def test_the_icon_browsers_ask_for_is_there() -> None:
    """Pages that name no icon (the admin's) make browsers ask for /favicon.ico: a redirect to
    the site's icon, never a 404 in every console."""
    from django.contrib.staticfiles import finders
    from django.test import Client

    answer = Client().get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"] == "/static/menhir/icon.svg"
    assert finders.find("menhir/icon.svg")
