"""schemathesis against Menhir's own OpenAPI schema: generated requests, as an administrator,
through the real WSGI application and the real database, must never get a 5xx nor a response
that contradicts the schema.

Bounded budget (MENHIR_FUZZ_EXAMPLES examples per operation, default 4), each operation in the
test's transaction (rolled back, no flush). Raise it locally to dig deeper:
`MENHIR_FUZZ_EXAMPLES=50 pytest tests/api_fuzz`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("MENHIR_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@cache
def api_schema() -> Any:
    """The schema `menhir spectacular` writes, generated in-process, served by the WSGI app."""
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


def operations() -> list[tuple[str, str]]:
    import django

    django.setup()
    ops = []
    for result in api_schema().get_all_operations():
        op = result.ok()
        ops.append((op.method.upper(), op.path))
    return sorted(ops)


def admin_headers() -> dict[str, str]:
    """A fresh administrator per example: a generated DELETE may remove the previous one.
    Uncompressed answers: the WSGI call hands back the body as sent, never decoded (the maps'
    data is gzipped for a client that asks: tests/topology/test_api.py)."""
    import uuid

    from core.accounts import create_token

    _, key = create_token(f"fuzz-{uuid.uuid4().hex[:12]}", "admin")
    return {"Authorization": f"Token {key}", "Accept-Encoding": "identity"}


@pytest.fixture
def network() -> Iterator[None]:
    """Something to list: the small network of two operators, with incidents, in the test's
    transaction (the WSGI app runs in this thread, on this connection)."""
    from django.core import signals
    from django.db import close_old_connections

    from tests.security.networks import two_operators

    two_operators()
    # A raw WSGI call would close the connection at the end of each request, and with it the
    # test's transaction; Django's test client does the same disconnection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path"), operations())
def test_api_operation_never_fails_nor_breaks_its_schema(
    method: str, path: str, network: None
) -> None:
    operation = api_schema()[path][method]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(headers=admin_headers(), checks=CHECKS)

    run()
