"""API clients for tests: a real token per role, sent in the `Authorization` header.

Django is imported inside the functions: this module is loaded by conftest files, which pytest
may import before the test database's URL is set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from rest_framework.test import APIClient

ClientFactory = Callable[..., "APIClient"]


def token_client(key: str) -> APIClient:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def make_user(username: str, role: str | None) -> Any:
    from django.contrib.auth import get_user_model

    from core.accounts import set_role

    user = get_user_model().objects.create(username=username)
    if role:
        set_role(user, role)
    return user


@pytest.fixture
def client_for(db: None) -> ClientFactory:
    """`client_for("edit")`: a client holding a token of a new user with that role."""
    from core.models import Token

    counter = iter(range(1_000_000))

    def build(role: str | None, expires: datetime | None = None) -> APIClient:
        user = make_user(f"{role or 'norole'}-{next(counter)}", role)
        _, key = Token.issue(user, expires=expires)
        client = token_client(key)
        client.user = user  # type: ignore[attr-defined]
        client.key = key  # type: ignore[attr-defined]
        return client

    return build


@pytest.fixture
def reader(client_for: ClientFactory) -> APIClient:
    return client_for("read")


@pytest.fixture
def editor(client_for: ClientFactory) -> APIClient:
    return client_for("edit")


@pytest.fixture
def admin(client_for: ClientFactory) -> APIClient:
    return client_for("admin")
