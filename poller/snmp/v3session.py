"""The fast SNMPv3 path: USM requests over one shared socket, without pysnmp's engine.

Engine discovery (RFC 3414 §4: an empty noAuthNoPriv request, answered by a Report that names
the agent's engine ID, boots and time), time synchronisation (our notion of the agent's clock
moves with the monotonic clock; an authenticated notInTimeWindow Report re-synchronises it once),
re-discovery on unknownEngineID (a replaced agent), and Report PDUs turned into the domain
errors of `errors.py`. Framing is `v3message.py`, cryptography `usm.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from time import monotonic

from poller.snmp.ber import GET_BULK_REQUEST, GET_REQUEST, REPORT, Pdu, encode_pdu
from poller.snmp.errors import AuthError, MalformedReply, SnmpError, agent_error
from poller.snmp.oids import Oid
from poller.snmp.session import Reply
from poller.snmp.udp import Address, DatagramExchange
from poller.snmp.usm import SaltCounter, UserKeys, UsmError, user_keys
from poller.snmp.v3message import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    V3Message,
    decode_scoped_pdu,
    encode_message,
    parse_message,
    scoped_pdu,
)
from poller.types import Credentials

TIME_WINDOW_S = 150  # RFC 3414 §3.2 step 7
_MAX_INT = 0x7FFFFFFF
_SILENT = "agent down, or wrong credentials"

# Counters a Report carries as its first varbind (RFC 3414 §5, RFC 3412 §5, RFC 3413 §4).
_USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
UNSUPPORTED_SEC_LEVEL = (*_USM_STATS, 1, 0)
NOT_IN_TIME_WINDOW = (*_USM_STATS, 2, 0)
UNKNOWN_USER_NAME = (*_USM_STATS, 3, 0)
UNKNOWN_ENGINE_ID = (*_USM_STATS, 4, 0)
WRONG_DIGEST = (*_USM_STATS, 5, 0)
DECRYPTION_ERROR = (*_USM_STATS, 6, 0)
_REPORT_NAMES: dict[Oid, str] = {
    UNSUPPORTED_SEC_LEVEL: "unsupported security level",
    NOT_IN_TIME_WINDOW: "not in time window",
    UNKNOWN_USER_NAME: "unknown user name",
    UNKNOWN_ENGINE_ID: "unknown engine ID",
    WRONG_DIGEST: "wrong digest: wrong authentication key or protocol",
    DECRYPTION_ERROR: "decryption error: wrong privacy key or protocol",
    (1, 3, 6, 1, 6, 3, 11, 2, 1, 1, 0): "unknown security model",
    (1, 3, 6, 1, 6, 3, 11, 2, 1, 2, 0): "invalid message",
    (1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0): "unknown PDU handler",
    (1, 3, 6, 1, 6, 3, 12, 1, 4, 0): "unavailable context",
    (1, 3, 6, 1, 6, 3, 12, 1, 5, 0): "unknown context",
}
_USM_REPORTS = frozenset(o for o in _REPORT_NAMES if o[: len(_USM_STATS)] == _USM_STATS)


@dataclass(slots=True)
class EngineClock:
    """What we know of one agent's engine: its ID, and its boots/time as of a monotonic instant."""

    engine_id: bytes
    boots: int
    time: int
    at: float = field(default_factory=monotonic)
    latest_received: int = 0  # RFC 3414 §2.3 latestReceivedEngineTime

    def now(self) -> tuple[int, int]:
        """The agent's (boots, time) as we estimate it now."""
        return self.boots, min(self.time + int(monotonic() - self.at), _MAX_INT)

    def sync(self, boots: int, engine_time: int) -> None:
        self.boots, self.time, self.at = boots, engine_time, monotonic()
        self.latest_received = engine_time

    def observe(self, boots: int, engine_time: int) -> bool:
        """RFC 3414 §3.2 step 7b for an authentic message: move forward, refuse one too old."""
        if boots > self.boots or (boots == self.boots and engine_time > self.latest_received):
            self.sync(boots, engine_time)
            return True
        return not (
            boots == _MAX_INT
            or boots < self.boots
            or engine_time < self.latest_received - TIME_WINDOW_S
        )


def encode_request(
    keys: UserKeys,
    user: bytes,
    engine_id: bytes,
    boots: int,
    engine_time: int,
    msg_id: int,
    request_id: int,
    salt: bytes,
    pdu_type: int,
    oids: list[Oid],
    *,
    non_repeaters: int = 0,
    max_repetitions: int = 0,
    context_name: bytes = b"",
) -> bytes:
    """A signed (and encrypted) request at the user's security level; every input explicit."""
    pdu = encode_pdu(
        pdu_type, request_id, oids, non_repeaters=non_repeaters, max_repetitions=max_repetitions
    )
    data = scoped_pdu(engine_id, context_name, pdu)
    flags = FLAG_REPORTABLE
    priv_params = b""
    if keys.priv:
        flags |= FLAG_PRIV
        data = keys.encrypt(data, boots, engine_time, salt)
        priv_params = salt
    if keys.auth:
        flags |= FLAG_AUTH
    message, offset = encode_message(
        msg_id=msg_id,
        flags=flags,
        engine_id=engine_id,
        boots=boots,
        time=engine_time,
        user=user,
        digest_size=keys.digest_size,
        priv_params=priv_params,
        data=data,
    )
    if keys.auth:
        message[offset : offset + keys.digest_size] = keys.sign(bytes(message))
    return bytes(message)


def discovery_request(msg_id: int) -> bytes:
    """RFC 3414 §4: no engine ID, no user, reportable, an empty GET."""
    data = scoped_pdu(b"", b"", encode_pdu(GET_REQUEST, msg_id, []))
    message, _ = encode_message(
        msg_id=msg_id,
        flags=FLAG_REPORTABLE,
        engine_id=b"",
        boots=0,
        time=0,
        user=b"",
        digest_size=0,
        priv_params=b"",
        data=data,
    )
    return bytes(message)


def open_reply(keys: UserKeys, user: bytes, message: V3Message, where: str) -> Pdu:
    """Check a reply's digest, decrypt it and decode its PDU; domain errors for any failure."""
    if message.flags & FLAG_AUTH:
        if not keys.auth:
            raise MalformedReply(f"{where}: an authenticated reply to a request without auth")
        if message.user != user:
            raise AuthError(f"{where}: the reply is for another user")
        if not keys.verify(message.zeroed(), message.auth_params):
            raise AuthError(f"{where}: the reply fails authentication (wrong digest)")
    data = message.data
    if message.flags & FLAG_PRIV:
        if not keys.priv:
            raise MalformedReply(f"{where}: an encrypted reply to a request without privacy")
        try:
            data = keys.decrypt(data, message.boots, message.time, message.priv_params)
            return decode_scoped_pdu(data)[2]
        except (UsmError, MalformedReply) as exc:
            raise AuthError(
                f"{where}: cannot decrypt the reply (wrong privacy key?): {exc}"
            ) from exc
    pdu = decode_scoped_pdu(data)[2]
    wanted = (FLAG_AUTH if keys.auth else 0) | (FLAG_PRIV if keys.priv else 0)
    if pdu.pdu_type != REPORT and message.flags & (FLAG_AUTH | FLAG_PRIV) != wanted:
        raise AuthError(f"{where}: a response below the requested security level")
    return pdu


def report_error(pdu: Pdu, where: str) -> SnmpError:
    """The domain error a Report stands for (USM rejections are AuthError)."""
    oid = pdu.varbinds[0][0] if pdu.varbinds else ()
    name = _REPORT_NAMES.get(oid, f"report {'.'.join(map(str, oid)) or 'without varbind'}")
    if oid in _USM_REPORTS:
        return AuthError(f"{where}: the agent rejected the credentials ({name})")
    return SnmpError(f"{where}: the agent reported {name}")


#: What the clients of this process learnt of the agents' engines. `menhir poll` opens a client
#: per cycle; an engine ID and clock stay good across cycles (a stale one is learnt again from the
#: agent's Report), so a cycle does not pay one discovery per device.
KNOWN_ENGINES: dict[Address, EngineClock] = {}


@dataclass
class V3Endpoint(DatagramExchange[V3Message]):
    """The socket shared by every SNMPv3 request of an event loop, and the agents' clocks."""

    engines: dict[Address, EngineClock] = field(default_factory=lambda: KNOWN_ENGINES)
    salts: SaltCounter = field(default_factory=SaltCounter)
    _discovering: dict[Address, asyncio.Future[EngineClock]] = field(default_factory=dict)

    def demux(self, data: bytes) -> tuple[int, V3Message]:
        message = parse_message(data)
        return message.msg_id, message

    async def engine(self, address: Address, timeout_s: float, retries: int) -> EngineClock:
        """The agent's engine, discovered once per address (concurrent callers share it)."""
        clock = self.engines.get(address)
        if clock is not None:
            return clock
        task = self._discovering.get(address)
        if task is None:
            task = asyncio.ensure_future(self._discover(address, timeout_s, retries))
            self._discovering[address] = task
            task.add_done_callback(lambda _: self._discovering.pop(address, None))
        return await asyncio.shield(task)

    async def _discover(self, address: Address, timeout_s: float, retries: int) -> EngineClock:
        msg_id = self.request_id()
        reply, _, _ = await self.exchange(
            address,
            msg_id,
            discovery_request(msg_id),
            timeout_s=timeout_s,
            retries=retries,
            silent_means="agent down, or not an SNMPv3 agent",
        )
        if not reply.engine_id:
            raise MalformedReply(f"{address[0]}:{address[1]}: discovery gave no engine ID")
        clock = EngineClock(reply.engine_id, reply.boots, reply.time)
        clock.latest_received = reply.time
        self.engines[address] = clock
        return clock


@dataclass(frozen=True, slots=True)
class V3Session:
    """An SNMPv3 (USM, AES-128 at most) session for one agent over the shared endpoint."""

    endpoint: V3Endpoint
    address: Address
    credentials: Credentials
    timeout_s: float
    retries: int

    async def get(self, oids: Sequence[Oid]) -> Reply:
        return await self._request(GET_REQUEST, list(oids), 0, 0)

    async def get_bulk(
        self, non_repeaters: Sequence[Oid], repeaters: Sequence[Oid], max_repetitions: int
    ) -> Reply:
        oids = [*non_repeaters, *repeaters]
        return await self._request(GET_BULK_REQUEST, oids, len(non_repeaters), max_repetitions)

    def _keys(self, engine_id: bytes) -> UserKeys:
        c = self.credentials
        return user_keys(c.auth_protocol, c.auth_key, c.priv_protocol, c.priv_key, engine_id)

    async def _request(
        self, pdu_type: int, oids: list[Oid], non_repeaters: int, max_repetitions: int
    ) -> Reply:
        where = f"{self.address[0]}:{self.address[1]}"
        user = self.credentials.username.encode()
        endpoint = self.endpoint
        resynced = rediscovered = False
        while True:
            clock = await endpoint.engine(self.address, self.timeout_s, self.retries)
            keys = self._keys(clock.engine_id)
            msg_id = endpoint.request_id()
            boots, engine_time = clock.now()
            message = encode_request(
                keys,
                user,
                clock.engine_id,
                boots,
                engine_time,
                msg_id,
                msg_id,
                endpoint.salts(),
                pdu_type,
                oids,
                non_repeaters=non_repeaters,
                max_repetitions=max_repetitions,
            )
            reply, received, rtt = await endpoint.exchange(
                self.address,
                msg_id,
                message,
                timeout_s=self.timeout_s,
                retries=self.retries,
                silent_means=_SILENT,
            )
            reply_keys = keys if reply.engine_id == clock.engine_id else self._keys(reply.engine_id)
            pdu = open_reply(reply_keys, user, reply, where)
            authentic = bool(reply.flags & FLAG_AUTH) and reply.engine_id == clock.engine_id
            if pdu.pdu_type == REPORT:
                oid = pdu.varbinds[0][0] if pdu.varbinds else ()
                if oid == NOT_IN_TIME_WINDOW and authentic and not resynced:
                    clock.sync(reply.boots, reply.time)  # RFC 3414 §4: the agent's own clock
                    resynced = True
                    continue
                if oid == UNKNOWN_ENGINE_ID and not rediscovered:
                    endpoint.engines.pop(self.address, None)  # a new agent behind the address
                    rediscovered = True
                    continue
                raise report_error(pdu, where)
            if reply.engine_id != clock.engine_id:
                raise AuthError(f"{where}: the response comes from another engine")
            if not clock.observe(reply.boots, reply.time):
                raise AuthError(f"{where}: the response is outside the time window (replayed?)")
            if pdu.request_id != msg_id:
                raise MalformedReply(f"{where}: the response's request-id is not the request's")
            if pdu.error_status:
                raise agent_error(pdu.error_status, pdu.error_index, where)
            return Reply(pdu.varbinds, received, rtt)
