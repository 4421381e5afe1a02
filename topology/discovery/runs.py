"""One discovery run, from the CLI or the API: ask the devices (NAPALM getters, or the LLDP-MIB
over the poller's SNMP sessions), compare with the inventory, store the run and its findings."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from topology.models import DiscoveryRun

SOURCES = {"napalm": "napalm", "snmp": "lldp-snmp"}  # what is asked → the run's source


@dataclass
class Discovered:
    run: DiscoveryRun
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (device, why not asked)


def discover(
    source: str, devices: Sequence[str] | None = None, mock_dir: Path | None = None
) -> Discovered:
    """Ask `devices` (default: every one the source can ask) and record the drift."""
    from topology.actions import record_run

    if source not in SOURCES:
        raise ValueError(f"unknown discovery source {source!r}: napalm or snmp")
    if source == "snmp" and mock_dir is not None:
        raise ValueError("a mock directory holds NAPALM recordings, not SNMP")
    skipped: list[tuple[str, str]] = []
    if source == "snmp":
        reports, errors = _snmp(devices, skipped)
    else:
        reports, errors = _napalm(devices, mock_dir)
    return Discovered(record_run(SOURCES[source], reports, errors), skipped)


def _napalm(devices: Sequence[str] | None, mock_dir: Path | None) -> tuple[Any, dict[str, str]]:
    from inventory.models import Device
    from topology.discovery.napalm_run import query_devices

    qs = Device.objects.exclude(platform="").select_related("snmp_profile").order_by("name")
    if devices:
        qs = qs.filter(name__in=devices)
    found = list(qs)
    # The NAPALM credentials go where the device's SNMP profile lets its secrets go, nowhere else.
    refused = {
        d.name: f"PermissionError: {d.management_address} is outside the address scope of its "
        "SNMP profile (or it has none): no credentials are sent"
        for d in found
        if mock_dir is None  # recordings: no credentials leave
        and (d.snmp_profile is None or not d.snmp_profile.reaches(d.management_address))
    }
    targets = [
        (d.name, d.platform, d.management_address or "") for d in found if d.name not in refused
    ]
    reports, errors = query_devices(
        targets,
        mock_dir=mock_dir,
        username=settings.MENHIR_NAPALM_USERNAME,
        password=settings.MENHIR_NAPALM_PASSWORD,
        allow_non_loopback=settings.MENHIR_ALLOW_NON_LOOPBACK,
    )
    return reports, {**errors, **refused}


def _snmp(
    devices: Sequence[str] | None, skipped: list[tuple[str, str]]
) -> tuple[Any, dict[str, str]]:
    """LLDP-MIB over the poller's SNMP sessions, for the devices the poller polls."""
    from inventory.models import Device
    from poller.targets import load_targets
    from topology.discovery.snmp_run import query_lldp

    load = load_targets(Device.objects.filter(name__in=devices) if devices else None)
    skipped += [(s.name, s.reason) for s in load.skipped]
    return asyncio.run(
        query_lldp(
            load.targets,
            concurrency=settings.MENHIR_POLL_CONCURRENCY,
            allow_non_loopback=settings.MENHIR_ALLOW_NON_LOOPBACK,
        )
    )
