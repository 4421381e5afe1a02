"""The ORM → targets adapter: complete targets, clear reasons, a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.choices import AuthProtocol, DeviceRole, PrivProtocol, SNMPVersion, Status
from inventory.models import Device, Interface, SNMPProfile
from poller.targets import load_targets
from poller.types import InterfaceRef, SnmpVersion

pytestmark = pytest.mark.django_db


def _profile(name: str = "cpe-v2c", **kwargs: object) -> SNMPProfile:
    defaults: dict[str, object] = {"version": SNMPVersion.V2C, "community": "s3cret"}
    return SNMPProfile.objects.create(name=name, **{**defaults, **kwargs})


def _device(n: int, profile: SNMPProfile | None, **kwargs: object) -> Device:
    defaults: dict[str, object] = {
        "name": f"cpe-{n}",
        "role": DeviceRole.CPE,
        "management_address": f"127.0.1.{n}",
        "snmp_profile": profile,
    }
    return Device.objects.create(**{**defaults, **kwargs})


def test_device_becomes_a_target_with_its_interfaces_and_credentials() -> None:
    profile = _profile(port=26161, timeout_ms=1500, retries=2)
    device = _device(1, profile)
    wan = Interface.objects.create(device=device, name="wan", if_index=2, speed_bps=10**8)
    Interface.objects.create(device=device, name="lan", if_index=3)
    Interface.objects.create(device=device, name="off", if_index=4, enabled=False)
    Interface.objects.create(device=device, name="virtual", if_index=None)
    [target] = load_targets().targets
    assert (target.device_id, target.name, target.address) == (device.pk, "cpe-1", "127.0.1.1")
    assert (target.port, target.timeout_s, target.retries) == (26161, 1.5, 2)
    assert target.credentials.community == "s3cret"
    assert target.interfaces[2] == InterfaceRef(wan.pk, 10**8)
    assert sorted(target.interfaces) == [2, 3, 4]  # shut ports too; not those without ifIndex


def test_v3_profile_gives_authpriv_credentials() -> None:
    profile = _profile(
        "v3",
        version=SNMPVersion.V3,
        community="",
        username="menhir",
        auth_protocol=AuthProtocol.SHA,
        auth_key="authkey-123",
        priv_protocol=PrivProtocol.AES128,
        priv_key="privkey-123",
    )
    _device(1, profile)
    [target] = load_targets().targets
    credentials = target.credentials
    assert credentials.version == SnmpVersion.V3
    assert (credentials.username, credentials.auth_key, credentials.priv_key) == (
        "menhir",
        "authkey-123",
        "privkey-123",
    )


def test_devices_that_cannot_be_polled_are_reported_with_the_reason() -> None:
    good = _profile()
    broken = _profile("broken", community="")
    _device(1, None)
    _device(2, good, management_address=None)
    _device(3, broken)
    _device(4, good, status=Status.PLANNED)
    _device(5, good)
    load = load_targets()
    assert [t.name for t in load.targets] == ["cpe-5"]
    assert [(s.name, s.reason) for s in load.skipped] == [
        ("cpe-1", "no SNMP profile"),
        ("cpe-2", "no management address"),
        ("cpe-3", "SNMP profile 'broken': SNMPv2c credentials need a community"),
    ]


def test_loading_takes_two_queries_whatever_the_number_of_devices() -> None:
    profiles = [_profile(f"p{n}") for n in range(3)]
    for n in range(1, 41):
        device = _device(n, profiles[n % 3])
        for i in range(1, 5):
            Interface.objects.create(device=device, name=f"ge-{i}", if_index=i)
    with CaptureQueriesContext(connection) as queries:
        load = load_targets()
    assert len(load.targets) == 40
    assert sum(len(t.interfaces) for t in load.targets) == 160
    assert len(queries) == 2
