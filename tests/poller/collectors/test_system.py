"""The system collector against snmpd: uptime and name in one GET, on both SNMP paths."""

from __future__ import annotations

import asyncio

import pytest

from poller.collectors.system import SystemPoll, collect_system
from poller.snmp.client import SnmpClient
from poller.types import Credentials
from tests.poller.conftest import V2C, V3, agent_target
from tests.poller.snmpd import Snmpd


@pytest.mark.parametrize(
    ("credentials", "fast"), [(V2C, True), (V2C, False), (V3, False)], ids=["v2c", "pysnmp", "v3"]
)
def test_system_poll_reads_uptime_and_name(
    snmpd: Snmpd, credentials: Credentials, fast: bool
) -> None:
    async def go() -> SystemPoll:
        async with SnmpClient(fast_v2c=fast) as client:
            return await collect_system(await client.session(agent_target(snmpd, credentials)))

    poll = asyncio.run(go())
    assert poll.name == "menhir-test-agent"
    assert poll.uptime_ticks is not None
    assert poll.uptime_ticks > 0
    assert poll.received.tzinfo is not None
    assert poll.rtt_s > 0
