"""The interface collector on recordings of real devices (snmpsim-data): vendor quirks.

Golden files hold what the collector makes of each device; regenerate with UPDATE_GOLDEN=1.
Both SNMP paths (the fast v2c decoder and pysnmp) must produce the same rows.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from poller.collectors.interfaces import InterfacePoll, collect_interfaces
from poller.collectors.walk import MAX_VARBINDS
from poller.snmp.client import SnmpClient
from poller.types import Credentials, InterfaceRef, Target
from tests.poller.snmpsim import RECORDINGS, Snmpsim

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "interfaces"
SNMPSIM_MAX_VARBINDS = 64


def _target(snmpsim: Snmpsim, community: str) -> Target:
    indexes = snmpsim.if_indexes(community)
    return Target(
        1,
        community,
        snmpsim.address,
        Credentials(community=community),
        port=snmpsim.port,
        timeout_s=3.0,
        retries=1,
        interfaces={i: InterfaceRef(i) for i in indexes},
    )


def _collect(target: Target, *, fast: bool) -> InterfacePoll:
    async def go() -> InterfacePoll:
        async with SnmpClient(fast_v2c=fast) as client:
            return await collect_interfaces(await client.session(target), target)

    return asyncio.run(go())


def _plain(poll: InterfacePoll) -> dict[str, Any]:
    rows = []
    for row in poll.rows.values():
        fields = dataclasses.asdict(row)
        del fields["received"]
        rows.append(fields)
    return {
        "uptime_ticks": poll.uptime_ticks,
        "high_capacity": poll.high_capacity,
        "rows": rows,
    }


@pytest.mark.parametrize("community", sorted(RECORDINGS))
def test_recorded_device_polls_as_in_its_golden_file(snmpsim: Snmpsim, community: str) -> None:
    target = _target(snmpsim, community)
    poll = _collect(target, fast=True)
    plain = _plain(poll)
    golden = GOLDEN / f"{community}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(plain, indent=1, sort_keys=True) + "\n")
    assert plain == json.loads(golden.read_text())
    assert set(poll.rows) == set(target.interfaces)
    assert _plain(_collect(target, fast=False)) == plain
    # One GETBULK per response-full of rows: never a walk per column.
    columns = 9 + (0 if poll.high_capacity else 3)
    per_response = min(SNMPSIM_MAX_VARBINDS, MAX_VARBINDS) // 9
    assert poll.requests <= math.ceil(len(target.interfaces) / per_response) * 2 + 2, columns


def test_devices_without_64_bit_counters_fall_back_to_counter32(snmpsim: Snmpsim) -> None:
    for community in ("brocade-ds-5100b", "ubiquiti-m5"):
        poll = _collect(_target(snmpsim, community), fast=True)
        assert not poll.high_capacity
        assert {row.counter_bits for row in poll.rows.values()} == {32}
        assert any(row.in_octets for row in poll.rows.values())


def test_large_table_is_fetched_with_further_getbulks(snmpsim: Snmpsim) -> None:
    target = _target(snmpsim, "cisco-unknown-01")
    poll = _collect(target, fast=True)
    assert len(poll.rows) == len(target.interfaces) > 400
    assert poll.requests > 1
