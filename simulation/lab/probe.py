"""The `ready` check: ask every agent once, from one socket, and list those that did not answer.

v2c agents get a GET of sysUpTime.0 with their community; v3 agents get the engine-discovery probe
every v3 manager sends first, and must answer it with a Report.
"""

from __future__ import annotations

import asyncio
import itertools

from simulation.lab import ber, v3
from simulation.lab.model import LabDevice

SYS_UPTIME_0 = ber.parse_oid("1.3.6.1.2.1.1.3.0")


def v2c_get(community: str, request_id: int, oid: bytes = SYS_UPTIME_0) -> bytes:
    varbind = ber.tlv(ber.SEQUENCE, ber.tlv(ber.OBJECT_IDENTIFIER, oid) + b"\x05\x00")
    pdu = ber.tlv(
        ber.GET_REQUEST,
        ber.encode_int(request_id) + b"\x02\x01\x00\x02\x01\x00" + ber.tlv(ber.SEQUENCE, varbind),
    )
    return ber.tlv(
        ber.SEQUENCE, b"\x02\x01\x01" + ber.tlv(ber.OCTET_STRING, community.encode()) + pdu
    )


def v3_discovery(msg_id: int) -> bytes:
    pdu = ber.tlv(ber.GET_REQUEST, ber.encode_int(msg_id) + b"\x02\x01\x00\x02\x01\x00\x30\x00")
    scoped = ber.tlv(ber.SEQUENCE, b"\x04\x00\x04\x00" + pdu)
    message, _ = v3.build(msg_id, 65_507, v3.FLAG_REPORTABLE, b"", 0, 0, b"", 0, b"", scoped)
    return message


def reply_id(data: bytes) -> int | None:
    """The request-id (v2c) or msgID (v3) a reply answers, or None if it is not one."""
    try:
        start, end = ber.expect(data, 0, len(data), ber.SEQUENCE)
        version, p = ber.read_int(data, start, end)
        if version == 3:
            return v3.parse(data).msg_id
        _, p = ber.read_octets(data, p, end)
        _, pdu_start, pdu_end = ber.header(data, p, end)
        request_id, _ = ber.read_int(data, pdu_start, pdu_end)
        return request_id
    except ber.DecodeError:
        return None


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answered: set[int] = set()
        self.event = asyncio.Event()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        found = reply_id(data)
        if found is not None:
            self.answered.add(found)
            self.event.set()


async def unanswered(
    devices: list[LabDevice],
    port: int | None = None,
    timeout: float = 2.0,
    rounds: int = 5,
    in_flight: int = 200,
) -> list[str]:
    """Names of the devices whose agent did not answer within `rounds` tries."""
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        _Collector, local_addr=("127.0.0.1", 0)
    )
    ids = itertools.count(1_000)
    pending = {next(ids): d for d in devices}
    try:
        for _ in range(rounds):
            items = list(pending.items())
            for start in range(0, len(items), in_flight):
                batch = items[start : start + in_flight]
                for request_id, device in batch:
                    packet = (
                        v3_discovery(request_id)
                        if device.credentials.version == "v3"
                        else v2c_get(device.credentials.community, request_id)
                    )
                    transport.sendto(packet, (device.address, port or device.port))
                deadline = loop.time() + timeout
                while any(r not in collector.answered for r, _ in batch):
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        break
                    collector.event.clear()
                    try:
                        await asyncio.wait_for(collector.event.wait(), remaining)
                    except TimeoutError:
                        break
            pending = {r: d for r, d in pending.items() if r not in collector.answered}
            if not pending:
                break
            pending = {next(ids): d for d in pending.values()}
    finally:
        transport.close()
    return sorted(d.name for d in pending.values())
