"""ICMP echo sender over one socket for every target of a run (icmplib builds and sends).

Raw socket when allowed (we run as root): the echo identifier is the run's, and a kernel filter
(ICMP_FILTER) passes only echo replies and errors, so the requests the loopback shows us again never
wake the process. Without the privilege, icmplib's unprivileged mode (SOCK_DGRAM ICMP, Linux's
`net.ipv4.ping_group_range`): the kernel picks the identifier and hands us only our replies. When
neither is allowed, every ICMP probe is lost with the reason `ICMP_REFUSED`, and the TWAMP-Light
targets of the run are probed as usual.

Replies are read here rather than through icmplib's `receive`, which blocks and drops what it cannot
parse: a reply counts when its sequence number is pending for the address it came from and it
carries the run's identifier and payload. ICMP from addresses the run did not probe (a raw socket
sees all the host receives) is ignored, except errors quoting our requests. Anything else from a
target never resolves a probe and is counted under its reason: `short reply` (less than an ICMP
header, or the payload cut short), `bad checksum`, `foreign reply` (another identifier or payload:
someone else's ping), `wrong sequence`, `late reply`, `duplicate reply`, `unreachable` (an ICMP
error quoting one of our requests).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import struct
import time

from icmplib import ICMPRequest, ICMPv4Socket
from icmplib.exceptions import ICMPSocketError, SocketPermissionError

from prober.book import SEND_FAILED, ProbeBook
from prober.receive_buffer import large_receive_buffer

log = logging.getLogger(__name__)

SHORT = "short reply"
BAD_CHECKSUM = "bad checksum"
FOREIGN = "foreign reply"
UNREACHABLE = "unreachable"
ICMP_REFUSED = "ICMP refused (neither raw nor datagram ICMP sockets allowed)"

ECHO_REPLY, UNREACH, TIME_EXCEEDED = 0, 3, 11
SOL_RAW, ICMP_FILTER = 255, 1  # linux/icmp.h: a bit set = that ICMP type is not delivered
_KEPT_TYPES = (1 << ECHO_REPLY) | (1 << UNREACH) | (1 << TIME_EXCEEDED)
PAYLOAD_SIZE = 56  # ping's default: 64 octets of ICMP
IDENTIFIERS = 64


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071): 0 over a message whose own checksum is right."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class IcmpSender(ProbeBook):
    """Send echo requests and resolve each probe's future with its RTT in seconds."""

    def __init__(self, sock: ICMPv4Socket | None, mode: str) -> None:
        # A raw socket's run uses IDENTIFIERS consecutive identifiers, 65,536 sequence numbers
        # each, so a probe in flight is never confused with another even at 100,000 probes a
        # slot; on a datagram socket the kernel sets the identifier: 16 bits of sequence.
        super().__init__(modulus=(IDENTIFIERS if mode == "raw" else 1) << 16)
        self.socket = sock
        self.mode = mode  # "raw", "datagram" or "refused"
        self.ident = int.from_bytes(os.urandom(2), "big")
        # The run's payload: a reply that does not echo it is someone else's.
        self.payload = os.urandom(8) + bytes(PAYLOAD_SIZE - 8)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.probed: set[str] = set()  # the addresses this run sent to
        self.strangers = 0  # ICMP messages from elsewhere, ignored

    @classmethod
    async def open(cls, privileged: bool = True) -> IcmpSender:
        """A raw socket if allowed, else a datagram one, else a sender that refuses clearly."""
        sock, mode = None, "refused"
        for raw in (True, False) if privileged else (False,):
            try:
                sock, mode = ICMPv4Socket(privileged=raw), "raw" if raw else "datagram"
                break
            except SocketPermissionError:
                continue
        if mode == "datagram":
            log.warning("ICMP: no raw socket (not root), probing through ICMP datagram sockets")
        elif mode == "refused":
            log.error("ICMP: %s; ICMP targets will all be lost", ICMP_REFUSED)
        sender = cls(sock, mode)
        if sock is not None:
            raw_socket = sock.sock
            large_receive_buffer(raw_socket)
            if mode == "raw":
                raw_socket.setsockopt(
                    SOL_RAW, ICMP_FILTER, struct.pack("I", ~_KEPT_TYPES & 0xFFFF_FFFF)
                )
            raw_socket.setblocking(False)
            sender._loop = asyncio.get_running_loop()
            sender._loop.add_reader(raw_socket.fileno(), sender._readable)
        return sender

    def close(self) -> None:
        if self.socket is not None:
            if self._loop is not None:
                self._loop.remove_reader(self.socket.sock.fileno())
            self.socket.close()
            self.socket = None
        self.cancel_all()

    def send(self, address: tuple[str, int]) -> tuple[int, asyncio.Future[float | None]]:
        """Send one echo request to address[0]; the future gets the RTT (s) when it is answered."""
        sequence, future = self.register(address)
        self.probed.add(address[0])
        if self.socket is None:
            self.problem(address, ICMP_REFUSED)
            return sequence, future
        ident, number = self.on_wire(sequence)
        request = ICMPRequest(address[0], ident, number, payload=self.payload, ttl=64)
        try:
            self.socket.send(request)
        except ICMPSocketError:
            self.problem(address, SEND_FAILED)
        return sequence, future

    def _readable(self) -> None:
        """Drain the socket: every datagram queued now, then back to the loop."""
        assert self.socket is not None
        sock = self.socket.sock
        while True:
            try:
                data, addr = sock.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # an error queued on a datagram socket (unreachable and the like)
                continue
            self.received(data, str(addr[0]), time.monotonic())

    def received(self, data: bytes, source: str, arrived: float) -> None:
        """A datagram from `source`: an IP packet on a raw socket, bare ICMP on a datagram one."""
        address = (source, 0)
        if self.mode == "raw":
            data = data[(data[0] & 0x0F) * 4 :] if len(data) >= 20 else b""
        if source not in self.probed:
            # A raw socket sees every ICMP message the host receives: a stranger's (another
            # process's ping, another prober's targets) is not this run's to count, unless it is
            # an error quoting one of our requests.
            if len(data) >= 8 and data[0] in (UNREACH, TIME_EXCEEDED) and not checksum(data):
                self._error(data[8:])
            else:
                self.strangers += 1
            return
        if len(data) < 8:
            self.problem(address, SHORT)
            return
        kind, _, _, ident, number = struct.unpack_from("!BBHHH", data)
        sequence = self.sequence_of(ident, number)
        if checksum(data):
            self.problem(address, BAD_CHECKSUM)
        elif kind in (UNREACH, TIME_EXCEEDED):
            self._error(data[8:])
        elif (reason := self._not_ours(kind, sequence, data[8:])) is not None:
            self.problem(address, reason)
        elif sequence is not None and (pending := self.match(address, sequence)) is not None:
            self.resolve(sequence, arrived - pending.sent_mono)

    def on_wire(self, sequence: int) -> tuple[int, int]:
        """The (identifier, sequence number) a probe's echo request carries."""
        return (self.ident + (sequence >> 16)) & 0xFFFF, sequence & 0xFFFF

    def sequence_of(self, ident: int, number: int) -> int | None:
        """The probe an echo with this identifier and number is for; None: not this run's."""
        if self.mode != "raw":
            return number  # the kernel's identifier, already checked by the kernel
        block = (ident - self.ident) & 0xFFFF
        return block << 16 | number if block < IDENTIFIERS else None

    def _not_ours(self, kind: int, sequence: int | None, payload: bytes) -> str | None:
        """Why an ICMP message is no echo reply to this run: None when it is one."""
        if kind != ECHO_REPLY or sequence is None:
            return FOREIGN
        if payload == self.payload:
            return None
        return SHORT if self.payload.startswith(payload) else FOREIGN

    def _error(self, quoted: bytes) -> None:
        """An ICMP error quotes the IP header and first 8 octets of what caused it: ours or not."""
        if len(quoted) < 28 or quoted[9] != socket.IPPROTO_ICMP:
            return
        header = (quoted[0] & 0x0F) * 4
        if len(quoted) < header + 8:
            return
        kind, _, _, ident, number = struct.unpack_from("!BBHHH", quoted, header)
        sequence = self.sequence_of(ident, number)
        if kind == 8 and sequence is not None and (pending := self.pending.get(sequence)):
            self.problem(pending.address, UNREACHABLE)
