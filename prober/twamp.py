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

from common import twamp
from prober.book import SEND_FAILED, ProbeBook
from prober.receive_buffer import large_receive_buffer

SHORT = "short reply"


class TwampSender(ProbeBook, asyncio.DatagramProtocol):
    """Send test packets and resolve each probe's future with its RTT in seconds."""

    def __init__(self) -> None:
        super().__init__(modulus=1 << 32)
        self.transport: asyncio.DatagramTransport | None = None

    @classmethod
    async def open(cls) -> TwampSender:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # RFC 5357 §4.1.2: the sender's TTL is 255, so the reflector's copy shows the hops.
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
        large_receive_buffer(sock)
        sock.bind(("0.0.0.0", 0))
        sock.setblocking(False)
        _, protocol = await loop.create_datagram_endpoint(cls, sock=sock)
        return protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a datagram endpoint's

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        self.cancel_all()

    def send(self, address: tuple[str, int]) -> tuple[int, asyncio.Future[float | None]]:
        """Send one test packet; the future gets the RTT (s) when the matching reply comes."""
        assert self.transport is not None
        sequence, future = self.register(address)
        packet = twamp.encode_sender(twamp.SenderPacket(sequence, twamp.to_ntp(time.time())))
        try:
            self.transport.sendto(packet, address)
        except OSError:
            self.problem(address, SEND_FAILED)
        return sequence, future

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        arrived = time.monotonic()
        address = (str(addr[0]), int(addr[1]))
        try:
            reply = twamp.decode_reflected(data)
        except twamp.TwampFormatError:
            self.problem(address, SHORT)
            return
        pending = self.match(address, reply.sender_sequence)
        if pending is None:
            return
        round_trip = arrived - pending.sent_mono
        # RFC 5357: the RTT excludes the reflector's residence time (T3 − T2), when plausible.
        residence = twamp.from_ntp(reply.timestamp) - twamp.from_ntp(reply.receive_timestamp)
        if 0 <= residence < round_trip:
            round_trip -= residence
        self.resolve(reply.sender_sequence, round_trip)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable and the like
        pass
