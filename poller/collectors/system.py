"""SNMPv2-MIB system group: the agent's uptime, the cheapest proof that a device answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from poller.snmp import oids
from poller.snmp.ber import OCTET_STRING, TIMETICKS
from poller.snmp.session import Session


@dataclass(frozen=True, slots=True)
class SystemPoll:
    received: datetime
    rtt_s: float
    uptime_ticks: int | None
    name: str | None


async def collect_system(session: Session) -> SystemPoll:
    """GET sysUpTime.0 and sysName.0 in one request."""
    reply = await session.get([oids.SYS_UPTIME_0, oids.SYS_NAME_0])
    uptime: int | None = None
    name: str | None = None
    for oid, tag, value in reply.varbinds:
        if oid == oids.SYS_UPTIME_0 and tag == TIMETICKS and isinstance(value, int):
            uptime = value
        elif oid == oids.SYS_NAME_0 and tag == OCTET_STRING and isinstance(value, bytes):
            name = value.decode("utf-8", "replace")
    return SystemPoll(reply.received, reply.rtt_s, uptime, name)
