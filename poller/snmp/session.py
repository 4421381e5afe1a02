"""The typed SNMP session the collectors use, and the client that opens sessions.

One `SnmpClient` per event loop holds what concurrent requests share: one UDP socket (4 MB
receive buffer) for the fast SNMPv2c path, and one pysnmp `SnmpEngine` for SNMPv3. Sessions are
cheap views of a target over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from poller.snmp.ber import VarBind
from poller.snmp.oids import Oid


@dataclass(frozen=True, slots=True)
class Reply:
    """The varbinds of one response, when it arrived (aware UTC) and the request's round trip."""

    varbinds: list[VarBind]
    received: datetime
    rtt_s: float


class Session(Protocol):
    """What a collector needs from SNMP: GET and GETBULK on numeric OIDs.

    Raise poller.snmp.errors exceptions (Timeout, AuthError, MalformedReply, AgentError).
    """

    async def get(self, oids: Sequence[Oid]) -> Reply: ...

    async def get_bulk(
        self, non_repeaters: Sequence[Oid], repeaters: Sequence[Oid], max_repetitions: int
    ) -> Reply: ...
