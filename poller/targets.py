"""The ORM → targets adapter: the poller's only Django touchpoint.

Reads active devices with a management address and an SNMP profile, their profiles and their
interfaces in a fixed number of queries (two), and returns plain `Target`s. A device whose
inventory data cannot make a target is reported with the reason, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from inventory.choices import Status
from inventory.models import Device, Interface, SNMPProfile
from poller.types import (
    AuthProtocol,
    Credentials,
    InterfaceRef,
    PrivProtocol,
    SnmpVersion,
    Target,
)


@dataclass(frozen=True, slots=True)
class Skipped:
    device_id: int
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class TargetLoad:
    targets: list[Target]
    skipped: list[Skipped] = field(default_factory=list)


def allow_non_loopback() -> bool:
    """The MENHIR_ALLOW_NON_LOOPBACK setting, read when called (never at import)."""
    return bool(getattr(settings, "MENHIR_ALLOW_NON_LOOPBACK", False))


def credentials_of(profile: SNMPProfile) -> Credentials:
    """Plain credentials from an SNMP profile; ValueError when the profile is incomplete."""
    return Credentials(
        version=SnmpVersion(profile.version),
        community=profile.community or "",
        username=profile.username,
        auth_protocol=AuthProtocol(profile.auth_protocol),
        auth_key=profile.auth_key or "",
        priv_protocol=PrivProtocol(profile.priv_protocol),
        priv_key=profile.priv_key or "",
    )


def load_targets(devices: QuerySet[Device] | None = None) -> TargetLoad:
    """Targets for `devices` (default: every active device), in two queries."""
    queryset = Device.objects.all() if devices is None else devices
    rows = list(
        queryset.filter(status=Status.ACTIVE)
        .select_related("snmp_profile")
        .only("id", "name", "management_address", "snmp_profile")
        .order_by("id")
    )
    polled = _polled_interfaces([device.pk for device in rows])
    targets: list[Target] = []
    skipped: list[Skipped] = []
    for device in rows:
        reason = _target_or_reason(device, polled.get(device.pk, {}), targets)
        if reason:
            skipped.append(Skipped(device.pk, device.name, reason))
    return TargetLoad(targets, skipped)


def _polled_interfaces(device_ids: list[int]) -> dict[int, dict[int, InterfaceRef]]:
    """Device id → its interfaces by ifIndex: every interface with an ifIndex, shut ones
    included (their status is part of the picture). Plain rows, not model instances: at ten
    times the reference network (200,000 interfaces) instances cost seconds per cycle."""
    polled: dict[int, dict[int, InterfaceRef]] = {}
    rows = (
        Interface.objects.filter(device_id__in=device_ids, if_index__isnull=False)
        .order_by("device_id", "if_index")  # unique together: the index's order
        .values_list("device_id", "if_index", "id", "speed_bps")
    )
    for device_id, if_index, pk, speed_bps in rows:
        if if_index is not None:
            polled.setdefault(device_id, {})[if_index] = InterfaceRef(pk, speed_bps)
    return polled


def _target_or_reason(
    device: Device, interfaces: dict[int, InterfaceRef], targets: list[Target]
) -> str | None:
    profile = device.snmp_profile
    if not device.management_address:
        return "no management address"
    if profile is None:
        return "no SNMP profile"
    if not profile.reaches(device.management_address):  # never send the secrets elsewhere
        return f"{device.management_address} is outside SNMP profile {profile.name!r}'s scope"
    try:
        credentials = credentials_of(profile)
        target = Target(
            device_id=device.pk,
            name=device.name,
            address=device.management_address,
            credentials=credentials,
            port=profile.port,
            timeout_s=profile.timeout_ms / 1000,
            retries=profile.retries,
            interfaces=interfaces,
        )
    except ValueError as exc:
        return f"SNMP profile {profile.name!r}: {exc}"
    targets.append(target)
    return None
