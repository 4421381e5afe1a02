"""An in-memory SNMP agent for the poller's fast runner tier: no socket, exact requests recorded.

`MemoryAgent` holds a MIB as `{oid: (tag, value)}` and answers GET and GETBULK as RFC 3416 says
(non-repeaters take one successor each; each repeater `max_repetitions` successors, endOfMibView
past the last object; a response never holds more than `max_varbinds`, as snmpd truncates). The
clock is the test's: each reply is stamped with `agent.now`. The real-agent tests (snmpd, snmpsim,
the lab) stay the proof on the wire; this tier checks what the runner asks and how it reads the
answers, in milliseconds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from poller.snmp import oids
from poller.snmp.ber import (
    COUNTER32,
    COUNTER64,
    END_OF_MIB_VIEW,
    GAUGE32,
    INTEGER,
    NO_SUCH_OBJECT,
    NULL,
    TIMETICKS,
    Value,
    VarBind,
)
from poller.snmp.errors import SnmpError, Timeout
from poller.snmp.oids import Oid
from poller.snmp.session import Reply
from poller.types import Target

START = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Request:
    """One PDU as the runner sent it."""

    kind: str  # "get" or "getbulk"
    non_repeaters: tuple[Oid, ...]
    repeaters: tuple[Oid, ...]
    max_repetitions: int


@dataclass
class MemoryAgent:
    mib: dict[Oid, tuple[int, Value]] = field(default_factory=dict)
    now: datetime = START
    rtt_s: float = 0.002
    max_varbinds: int = 100
    failure: SnmpError | None = None  # raised by every request while set
    requests: list[Request] = field(default_factory=list)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def set(self, oid: Oid, tag: int, value: Value) -> None:
        self.mib[oid] = (tag, value)

    def _successor(self, oid: Oid) -> VarBind:
        keys = sorted(self.mib)
        i = bisect.bisect_right(keys, oid)
        if i == len(keys):
            return (oid, END_OF_MIB_VIEW, None)
        found = keys[i]
        tag, value = self.mib[found]
        return (found, tag, value)

    def _reply(self, varbinds: list[VarBind]) -> Reply:
        return Reply(varbinds[: self.max_varbinds], self.now, self.rtt_s)

    async def get(self, oid_list: Sequence[Oid]) -> Reply:
        self.requests.append(Request("get", tuple(oid_list), (), 0))
        if self.failure is not None:
            raise self.failure
        found: list[VarBind] = []
        for oid in oid_list:
            tag, value = self.mib.get(oid, (NO_SUCH_OBJECT, None))
            found.append((oid, tag, value))
        return self._reply(found)

    async def get_bulk(
        self, non_repeaters: Sequence[Oid], repeaters: Sequence[Oid], max_repetitions: int
    ) -> Reply:
        self.requests.append(
            Request("getbulk", tuple(non_repeaters), tuple(repeaters), max_repetitions)
        )
        if self.failure is not None:
            raise self.failure
        varbinds = [self._successor(oid) for oid in non_repeaters]
        cursors = list(repeaters)
        for _ in range(max_repetitions):
            row = [self._successor(oid) for oid in cursors]
            varbinds.extend(row)
            cursors = [oid for oid, _, _ in row]
        return self._reply(varbinds)


@dataclass
class MemoryClient:
    """Stands where `SnmpClient` does: a session per target address, from the agents given."""

    agents: dict[str, MemoryAgent]

    async def session(self, target: Target) -> MemoryAgent:
        agent = self.agents.get(target.address)
        if agent is None:
            raise Timeout(f"{target.address}: no response")
        return agent

    def close(self) -> None:
        pass


def interface_agent(
    rows: dict[int, dict[str, int]], *, uptime_ticks: int = 100_000, high_capacity: bool = True
) -> MemoryAgent:
    """An agent with sysUpTime and IF-MIB rows: `{ifIndex: {"in": octets, "out": octets,
    "oper": 1, "admin": 1, "mbps": 100}}` (missing keys take those defaults, octets 0)."""
    agent = MemoryAgent()
    agent.set(oids.SYS_UPTIME_0, TIMETICKS, uptime_ticks)
    agent.set(oids.oid("1.3.6.1.2.1.1.5.0"), NULL, None)  # something after sysUpTime
    for index, row in rows.items():
        put_counters(agent, index, row.get("in", 0), row.get("out", 0), high_capacity)
        agent.set((*oids.IF_OPER_STATUS, index), INTEGER, row.get("oper", 1))
        agent.set((*oids.IF_ADMIN_STATUS, index), INTEGER, row.get("admin", 1))
        agent.set(
            (*oids.IF_SPEED, index), GAUGE32, min(row.get("mbps", 100) * 1_000_000, 2**32 - 1)
        )
        for column in (
            oids.IF_IN_ERRORS,
            oids.IF_OUT_ERRORS,
            oids.IF_IN_DISCARDS,
            oids.IF_OUT_DISCARDS,
        ):
            agent.set((*column, index), COUNTER32, 0)
        if high_capacity:
            agent.set((*oids.IF_HIGH_SPEED, index), GAUGE32, row.get("mbps", 100))
    return agent


def put_counters(
    agent: MemoryAgent, index: int, in_octets: int, out_octets: int, hc: bool = True
) -> None:
    if hc:
        agent.set((*oids.IF_HC_IN_OCTETS, index), COUNTER64, in_octets)
        agent.set((*oids.IF_HC_OUT_OCTETS, index), COUNTER64, out_octets)
    agent.set((*oids.IF_IN_OCTETS, index), COUNTER32, in_octets % 2**32)
    agent.set((*oids.IF_OUT_OCTETS, index), COUNTER32, out_octets % 2**32)
