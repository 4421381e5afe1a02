"""A logged-in reader for the composed pages' tests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.accounts import set_role


@pytest.fixture
def reader_client(client: Client) -> Client:
    user = get_user_model().objects.create_user("reader", password="pw-reader-123")
    set_role(user, "read")
    client.force_login(user)
    return client
