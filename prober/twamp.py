"""TWAMP-Light Session-Sender over one asyncio UDP socket for every target of a run.

One socket whatever the number of targets: each test packet gets a sequence number unique in the
run, and a reply is matched on (source address, sender sequence number). A reply that cannot be
matched, or that is not a reflected packet, never resolves a probe: the probe is lost when its
deadline passes, and the reply is counted under its reason for that target.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from dataclasses import dataclass

from common import twamp

SHORT = "short reply"
WRONG_SEQUENCE = "wrong sequence"
DUPLICATE = "duplicate reply"
LATE = "late reply"
SEND_FAILED = "send failed"


@dataclass(slots=True)
class _Pending:
    address: tuple[str, int]
    sent_unix: float
    sent_mono: float
    future: asyncio.Future[float]


class TwampSender(asyncio.DatagramProtocol):
    """Send test packets and resolve each probe's future with its RTT in seconds."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[int, _Pending] = {}
        self.answered: set[int] = set()
        self.expired: set[int] = set()
        self.problems: dict[tuple[str, int], Counter[str]] = {}
        self._sequence = 0

    @classmethod
    async def open(cls) -> TwampSender:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # RFC 5357 §4.1.2: the sender's TTL is 255, so the reflector's copy shows the hops.
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        sock.bind(("0.0.0.0", 0))
        sock.setblocking(False)
        _, protocol = await loop.create_datagram_endpoint(cls, sock=sock)
        return protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a datagram endpoint's

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        for pending in self.pending.values():
            pending.future.cancel()

    def problem(self, address: tuple[str, int], reason: str) -> None:
        self.problems.setdefault(address, Counter())[reason] += 1

    def send(self, address: tuple[str, int]) -> tuple[int, asyncio.Future[float]]:
        """Send one test packet; the future gets the RTT (s) when the matching reply comes."""
        assert self.transport is not None
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        sequence = self._sequence
        self._sequence = (self._sequence + 1) & 0xFFFF_FFFF
        now = time.time()
        packet = twamp.encode_sender(twamp.SenderPacket(sequence, twamp.to_ntp(now)))
        self.pending[sequence] = _Pending(address, now, time.monotonic(), future)
        try:
            self.transport.sendto(packet, address)
        except OSError:
            self.problem(address, SEND_FAILED)
        return sequence, future

    def forget(self, sequence: int) -> None:
        """The probe's deadline passed: a late reply is then a wrong sequence, not an answer."""
        if self.pending.pop(sequence, None) is not None:
            self.expired.add(sequence)

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        arrived = time.monotonic()
        address = (str(addr[0]), int(addr[1]))
        try:
            reply = twamp.decode_reflected(data)
        except twamp.TwampFormatError:
            self.problem(address, SHORT)
            return
        pending = self.pending.get(reply.sender_sequence)
        if pending is None or pending.address != address:
            reason = WRONG_SEQUENCE
            if reply.sender_sequence in self.answered:
                reason = DUPLICATE
            elif reply.sender_sequence in self.expired:
                reason = LATE
            self.problem(address, reason)
            return
        if pending.future.done():
            return
        del self.pending[reply.sender_sequence]
        self.answered.add(reply.sender_sequence)
        round_trip = arrived - pending.sent_mono
        # RFC 5357: the RTT excludes the reflector's residence time (T3 − T2), when plausible.
        residence = twamp.from_ntp(reply.timestamp) - twamp.from_ntp(reply.receive_timestamp)
        if 0 <= residence < round_trip:
            round_trip -= residence
        pending.future.set_result(round_trip)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable and the like
        pass
