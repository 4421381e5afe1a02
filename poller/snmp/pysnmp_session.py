"""SNMP sessions over pysnmp 7's asyncio API (v3arch), used for SNMPv3 and as the reference.

One `SnmpEngine` per event loop is shared by every session of that loop; requests use numeric
OIDs with `lookupMib=False`. pysnmp's (errorIndication, errorStatus, errorIndex, varBinds)
4-tuples become plain varbinds or domain exceptions here and go no further.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
)
from pysnmp.hlapi.v3arch.asyncio import auth as hlauth
from pysnmp.proto import errind

from poller.snmp.errors import AuthError, MalformedReply, SnmpError, Timeout, agent_error
from poller.snmp.oids import Oid
from poller.snmp.session import Reply
from poller.snmp.udp import RECEIVE_BUFFER
from poller.snmp.values import plain_varbinds
from poller.types import AuthProtocol, Credentials, PrivProtocol, SnmpVersion

_AUTH = {
    AuthProtocol.NONE: hlauth.USM_AUTH_NONE,
    AuthProtocol.MD5: hlauth.USM_AUTH_HMAC96_MD5,
    AuthProtocol.SHA: hlauth.USM_AUTH_HMAC96_SHA,
    AuthProtocol.SHA256: hlauth.USM_AUTH_HMAC192_SHA256,
    AuthProtocol.SHA512: hlauth.USM_AUTH_HMAC384_SHA512,
}
_PRIV = {
    PrivProtocol.NONE: hlauth.USM_PRIV_NONE,
    PrivProtocol.DES: hlauth.USM_PRIV_CBC56_DES,
    PrivProtocol.AES128: hlauth.USM_PRIV_CFB128_AES,
    PrivProtocol.AES256: hlauth.USM_PRIV_CFB256_AES,
}
_AUTH_FAILURES = (
    errind.UnknownUserName,
    errind.WrongDigest,
    errind.DecryptionError,
    errind.UnknownSecurityName,
    errind.UnsupportedSecurityLevel,
    errind.AuthenticationFailure,
    errind.AuthenticationError,
    errind.UnknownCommunityName,
    errind.NotInTimeWindow,
    errind.UnknownEngineID,
)
_DECODE_FAILURES = (errind.ParseError, errind.DeserializationError, errind.InvalidMsg)


def auth_data(credentials: Credentials) -> CommunityData | UsmUserData:
    """pysnmp's authentication object for our credentials."""
    if credentials.version == SnmpVersion.V2C:
        return CommunityData(credentials.community, mpModel=1)
    return UsmUserData(
        credentials.username,
        authKey=credentials.auth_key or None,
        privKey=credentials.priv_key or None,
        authProtocol=_AUTH[credentials.auth_protocol],
        privProtocol=_PRIV[credentials.priv_protocol],
    )


def raise_for_indication(indication: Any, where: str) -> None:
    """Turn pysnmp's errorIndication into the matching domain exception."""
    if isinstance(indication, errind.RequestTimedOut):
        raise Timeout(f"{where}: no reply (agent down, or wrong credentials)")
    if isinstance(indication, _AUTH_FAILURES):
        raise AuthError(f"{where}: the agent rejected the credentials ({indication})")
    if isinstance(indication, _DECODE_FAILURES):
        raise MalformedReply(f"{where}: {indication}")
    raise SnmpError(f"{where}: {indication}")


class PysnmpEngine:
    """The loop's pysnmp engine, with its socket given a 4 MB receive buffer on first use."""

    def __init__(self) -> None:
        self.engine = SnmpEngine()
        self._tuned = False

    def tune_socket(self) -> None:
        if self._tuned:
            return
        dispatcher = self.engine.transport_dispatcher
        transport = dispatcher.get_transport(udp.DOMAIN_NAME) if dispatcher else None
        asyncio_transport = getattr(transport, "transport", None)
        if asyncio_transport is not None:
            sock = asyncio_transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
                self._tuned = True

    def close(self) -> None:
        self.engine.close_dispatcher()


@dataclass(slots=True)
class PysnmpSession:
    """A session for one agent through pysnmp (any version; SNMPv3 authPriv included)."""

    engine: PysnmpEngine
    address: tuple[str, int]
    credentials: Credentials
    timeout_s: float
    retries: int
    _target: UdpTransportTarget | None = None
    _auth: CommunityData | UsmUserData | None = None

    def _auth_data(self) -> CommunityData | UsmUserData:
        if self._auth is None:
            self._auth = auth_data(self.credentials)
        return self._auth

    async def _transport(self) -> UdpTransportTarget:
        if self._target is None:
            self._target = await UdpTransportTarget.create(
                self.address, timeout=self.timeout_s, retries=self.retries
            )
        return self._target

    def _where(self) -> str:
        return f"{self.address[0]}:{self.address[1]}"

    async def get(self, oids: Sequence[Oid]) -> Reply:
        target = await self._transport()
        started = time.monotonic()
        result = await get_cmd(
            self.engine.engine,
            self._auth_data(),
            target,
            ContextData(),
            *(ObjectType(ObjectIdentity(o)) for o in oids),
            lookupMib=False,
        )
        return self._reply(result, started)

    async def get_bulk(
        self, non_repeaters: Sequence[Oid], repeaters: Sequence[Oid], max_repetitions: int
    ) -> Reply:
        target = await self._transport()
        started = time.monotonic()
        result = await bulk_cmd(
            self.engine.engine,
            self._auth_data(),
            target,
            ContextData(),
            len(non_repeaters),
            max_repetitions,
            *(ObjectType(ObjectIdentity(o)) for o in (*non_repeaters, *repeaters)),
            lookupMib=False,
        )
        return self._reply(result, started)

    def _reply(self, result: Any, started: float) -> Reply:
        received = datetime.now(UTC)
        rtt = time.monotonic() - started
        self.engine.tune_socket()
        indication, status, index, var_binds = result
        if indication:
            raise_for_indication(indication, self._where())
        if status and int(status):
            raise agent_error(int(status), int(index), self._where())
        return Reply(plain_varbinds(var_binds), received, rtt)
