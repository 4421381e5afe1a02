"""An editor cannot make Menhir send an SNMP profile's secrets to an address of their own
(issue 13, finding 2): they created a device with their address on an existing profile and asked
for a discovery run, and the community went there. Each profile carries an address scope that
only administrators set; devices outside it are refused, and nothing is ever sent outside it.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from common.roles import ADMIN, EDIT
from core.accounts import set_role
from inventory.models import Device, SNMPProfile
from poller.targets import load_targets
from tests.factories import inventory as f

pytestmark = pytest.mark.django_db(transaction=True)
COMMUNITY = "s3cret-of-the-syndicate"


def api(role: str) -> APIClient:
    user = get_user_model().objects.create_user(username=f"u-{role}")
    set_role(user, role)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def profile() -> SNMPProfile:
    return f.SNMPProfileFactory.create(
        name="cpe-v2c",
        community=COMMUNITY,
        allowed_networks=["127.0.0.1/32"],
        timeout_ms=300,
        retries=0,
    )


def test_an_editor_cannot_put_a_device_outside_the_profiles_scope(profile: SNMPProfile) -> None:
    editor = api(EDIT)
    site = f.EstablishmentFactory.create()
    body = {
        "name": "evil-cpe", "role": "cpe", "establishment": site.pk,
        "management_address": "198.51.100.7", "snmp_profile": profile.pk,
    }  # fmt: skip
    created = editor.post("/api/inventory/devices/", body, format="json")
    assert created.status_code == 400
    assert "management_address" in created.json()
    device = f.DeviceFactory.create(name="good-cpe", management_address="127.0.0.1")
    moved = editor.patch(
        f"/api/inventory/devices/{device.pk}/",
        {"management_address": "198.51.100.7", "snmp_profile": profile.pk},
        format="json",
    )
    assert moved.status_code == 400
    assert Device.objects.get(pk=device.pk).management_address == "127.0.0.1"


def test_only_an_admin_widens_the_scope(profile: SNMPProfile) -> None:
    url = f"/api/inventory/snmp-profiles/{profile.pk}/"
    widened = api(EDIT).patch(url, {"allowed_networks": ["0.0.0.0/0"]}, format="json")
    assert widened.status_code == 400
    assert "allowed_networks" in widened.json()
    user = get_user_model().objects.create_user(username="editor-admin-page")
    set_role(user, EDIT)
    page = Client()
    page.force_login(user)
    form = page.get(f"/admin/inventory/snmpprofile/{profile.pk}/change/").content.decode()
    assert 'name="allowed_networks"' not in form
    assert SNMPProfile.objects.get(pk=profile.pk).allowed_networks == ["127.0.0.1/32"]
    done = api(ADMIN).patch(url, {"allowed_networks": ["127.0.0.0/8"]}, format="json")
    assert done.status_code == 200, done.json()


def test_no_secret_leaves_for_an_address_outside_the_scope(profile: SNMPProfile) -> None:
    """A device already pointing outside the scope (entered before the rule, or by SQL): the
    poller skips it, and a discovery run sends no packet there (a real UDP socket listens)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.2", 0))
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    SNMPProfile.objects.filter(pk=profile.pk).update(port=port)
    device = f.DeviceFactory.create(name="evil-cpe", management_address="127.0.0.1")
    Device.objects.filter(pk=device.pk).update(management_address="127.0.0.2", snmp_profile=profile)
    load = load_targets(Device.objects.filter(pk=device.pk))
    assert load.targets == []
    assert "outside SNMP profile 'cpe-v2c'" in load.skipped[0].reason
    run = api(EDIT).post(
        "/api/topology/discovery-runs/", {"source": "snmp", "devices": ["evil-cpe"]}, format="json"
    )
    assert run.status_code in (201, 400), run.content
    try:
        with pytest.raises(TimeoutError):  # nothing arrives: not the community, not a packet
            listener.recvfrom(65535)
    finally:
        listener.close()


def test_production_polling_real_networks_needs_every_profile_scoped(
    profile: SNMPProfile, settings: Any
) -> None:
    from menhir.ops.checks import check_snmp_scopes

    settings.MENHIR_PRODUCTION = True
    settings.MENHIR_ALLOW_NON_LOOPBACK = True
    assert check_snmp_scopes() == []
    f.SNMPProfileFactory.create(name="open-profile", community="x")
    (error,) = check_snmp_scopes()
    assert error.id == "menhir.E012"
    assert "open-profile" in error.msg
