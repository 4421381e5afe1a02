"""Ask every target for its LLDP neighbours over SNMP, concurrently; one failing device never
stops the others (its error is a result, like the NAPALM source's)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from poller.runner import check_addresses
from poller.snmp.client import SnmpClient
from poller.types import Target
from topology.discovery.lldp_snmp import lldp_report
from topology.discovery.napalm_source import DeviceReport

DEFAULT_CONCURRENCY = 32


async def query_lldp(
    targets: Sequence[Target],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    allow_non_loopback: bool = False,
) -> tuple[list[DeviceReport], dict[str, str]]:
    """Reports of the devices that answered, and per device that did not, its error.

    Targets outside 127.0.0.0/8 are refused before anything is sent, unless allowed."""
    check_addresses(targets, allow_non_loopback=allow_non_loopback)
    gate = asyncio.Semaphore(concurrency)
    reports: list[DeviceReport] = []
    errors: dict[str, str] = {}
    async with SnmpClient() as client:

        async def one(target: Target) -> None:
            async with gate:
                try:
                    session = await client.session(target)
                    reports.append(await lldp_report(session, target.name))
                except Exception as error:  # a failing device is a result, not an abort
                    errors[target.name] = f"{type(error).__name__}: {error}"

        await asyncio.gather(*(one(t) for t in targets))
    reports.sort(key=lambda r: r.device)
    return reports, errors
