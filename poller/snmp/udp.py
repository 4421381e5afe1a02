"""The fast SNMPv2c path: one shared UDP socket, request-id demultiplexing, the BER codec.

`DatagramExchange` is the part the SNMPv3 fast path shares (`v3session.py`): one socket for
many agents, replies matched to requests by id and source address, retries and timeouts.

A reply is decoded as soon as it arrives (cheap with the direct decoder) and matched to its
request by request-id and source address. Garbage from an address we are waiting on fails that
request with MalformedReply at once instead of letting it time out.
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, Self, TypeVar, cast

from poller.snmp.ber import (
    GET_BULK_REQUEST,
    GET_REQUEST,
    Response,
    decode_response,
    encode_request,
)
from poller.snmp.errors import MalformedReply, SnmpError, Timeout, agent_error
from poller.snmp.oids import Oid
from poller.snmp.session import Reply

RECEIVE_BUFFER = 4 * 1024 * 1024
Address = tuple[str, int]


T = TypeVar("T")


@dataclass
class _Pending(Generic[T]):
    address: Address
    future: asyncio.Future[tuple[T, float, datetime]]


@dataclass
class DatagramExchange(asyncio.DatagramProtocol, Generic[T]):
    """One UDP socket shared by many requests: ids, pending replies, retries and timeouts.

    Subclasses say how a datagram is decoded and which pending request it answers (`demux`);
    the v2c path keys on the request-id, the v3 path on the msgID.
    """

    pending: dict[int, _Pending[T]] = field(default_factory=dict)
    transport: asyncio.DatagramTransport | None = None
    _next_id: int = field(default_factory=lambda: random.randrange(1, 0x3FFFFFFF))
    dropped: int = 0
    sent: int = 0  # datagrams sent, retries included

    @classmethod
    async def open(cls) -> Self:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        sock.bind(("0.0.0.0", 0))
        sock.setblocking(False)
        endpoint = cls()
        await loop.create_datagram_endpoint(lambda: endpoint, sock=sock)
        return endpoint

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        for pending in self.pending.values():
            if not pending.future.done():
                pending.future.set_exception(SnmpError("the SNMP client was closed"))
        self.pending.clear()

    def request_id(self) -> int:
        self._next_id = self._next_id % 0x7FFFFFFF + 1
        return self._next_id

    def demux(self, data: bytes) -> tuple[int, T]:
        """(the id of the request it answers, the decoded reply); MalformedReply if undecodable."""
        raise NotImplementedError

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        received_mono = time.monotonic()
        received = datetime.now(UTC)
        source = (str(addr[0]), int(addr[1]))
        try:
            key, reply = self.demux(data)
        except MalformedReply as exc:
            self._fail_address(source, exc)
            return
        pending = self.pending.get(key)
        if pending is None or pending.address != source or pending.future.done():
            self.dropped += 1  # late duplicate, or a reply to someone else's request
            return
        del self.pending[key]
        pending.future.set_result((reply, received_mono, received))

    def _fail_address(self, source: Address, exc: MalformedReply) -> None:
        for key, pending in list(self.pending.items()):
            if pending.address == source and not pending.future.done():
                del self.pending[key]
                error = MalformedReply(f"{source[0]}:{source[1]} sent an undecodable reply: {exc}")
                pending.future.set_exception(error)

    async def exchange(
        self,
        address: Address,
        key: int,
        message: bytes,
        *,
        timeout_s: float,
        retries: int,
        silent_means: str,
    ) -> tuple[T, datetime, float]:
        """Send `message` until the reply with id `key` comes: (reply, received at, round trip)."""
        assert self.transport is not None
        future: asyncio.Future[tuple[T, float, datetime]] = (
            asyncio.get_running_loop().create_future()
        )
        self.pending[key] = _Pending(address, future)
        try:
            for _attempt in range(retries + 1):
                sent = time.monotonic()
                self.transport.sendto(message, address)
                self.sent += 1
                try:
                    reply, received_mono, received = await asyncio.wait_for(
                        asyncio.shield(future), timeout_s
                    )
                except TimeoutError:
                    continue
                return reply, received, received_mono - sent
        finally:
            self.pending.pop(key, None)
        raise Timeout(
            f"{address[0]}:{address[1]}: no reply after {retries + 1} attempt(s) of "
            f"{timeout_s:g} s ({silent_means})"
        )


@dataclass
class UdpEndpoint(DatagramExchange[Response]):
    """The socket shared by every SNMPv2c request of an event loop."""

    def demux(self, data: bytes) -> tuple[int, Response]:
        response = decode_response(data)
        return response.request_id, response

    async def request(
        self,
        address: Address,
        community: bytes,
        pdu_type: int,
        oids: Sequence[Oid],
        *,
        timeout_s: float,
        retries: int,
        non_repeaters: int = 0,
        max_repetitions: int = 0,
    ) -> Reply:
        request_id = self.request_id()
        message = encode_request(
            pdu_type,
            community,
            request_id,
            list(oids),
            non_repeaters=non_repeaters,
            max_repetitions=max_repetitions,
        )
        response, received, rtt = await self.exchange(
            address,
            request_id,
            message,
            timeout_s=timeout_s,
            retries=retries,
            silent_means="agent down, or wrong community",
        )
        if response.error_status:
            raise agent_error(
                response.error_status, response.error_index, f"{address[0]}:{address[1]}"
            )
        return Reply(response.varbinds, received, rtt)


@dataclass(frozen=True, slots=True)
class V2cSession:
    """An SNMPv2c session for one agent over the shared endpoint."""

    endpoint: UdpEndpoint
    address: Address
    community: bytes
    timeout_s: float
    retries: int

    async def get(self, oids: Sequence[Oid]) -> Reply:
        return await self.endpoint.request(
            self.address,
            self.community,
            GET_REQUEST,
            oids,
            timeout_s=self.timeout_s,
            retries=self.retries,
        )

    async def get_bulk(
        self, non_repeaters: Sequence[Oid], repeaters: Sequence[Oid], max_repetitions: int
    ) -> Reply:
        return await self.endpoint.request(
            self.address,
            self.community,
            GET_BULK_REQUEST,
            [*non_repeaters, *repeaters],
            timeout_s=self.timeout_s,
            retries=self.retries,
            non_repeaters=len(non_repeaters),
            max_repetitions=max_repetitions,
        )
