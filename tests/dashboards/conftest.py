"""A logged-in reader and a polled small network for the composed pages' tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.accounts import set_role
from inventory.models import Device
from tests.factories.inventory import small_network


@pytest.fixture
def reader_client(client: Client) -> Client:
    user = get_user_model().objects.create_user("reader", password="pw-reader-123")
    set_role(user, "read")
    client.force_login(user)
    return client


def polled(devices: Any, minutes_ago: float = 1, reachable: bool = True) -> None:
    """A device sample per device, as the poller writes them."""
    at = timezone.now() - timedelta(minutes=minutes_ago)
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO metrics_device_sample (time, device_id, reachable) VALUES (%s, %s, %s)",
            [(at, d.pk, reachable) for d in devices],
        )


@pytest.fixture
def net() -> dict[str, Any]:
    """The small network, every device polled a minute ago."""
    network = small_network()
    polled(Device.objects.all())
    return network
