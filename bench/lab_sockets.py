"""Socket layouts for the lab, measured: one socket per agent address, or one wildcard socket.

The wildcard layout receives every 127.x.y.z on one socket bound to 0.0.0.0 and answers from the
request's own destination with IP_PKTINFO (recvmsg/sendmsg). Both servers here only echo, so the
figures are the socket layer's cost alone. Used by bench_lab.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import socket
import struct
import time
from multiprocessing.connection import Connection

from bench.figures import Figure

PKTINFO = struct.Struct("=I4s4s")  # struct in_pktinfo: ifindex, spec_dst, addr
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # Linux value; Python < 3.12 lacks the name


class _Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.DatagramTransport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.transport.sendto(data, addr)


async def _per_address(addresses: list[str], port: int, conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    for address in addresses:
        await loop.create_datagram_endpoint(_Echo, local_addr=(address, port))
    conn.send(time.perf_counter() - started)
    await asyncio.to_thread(conn.recv)


async def _wildcard(port: int, conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    sock.bind(("0.0.0.0", port))
    sock.setblocking(False)
    space = socket.CMSG_SPACE(PKTINFO.size)

    def on_readable() -> None:
        while True:
            try:
                data, ancillary, _, addr = sock.recvmsg(65_535, space)
            except BlockingIOError:
                return
            for level, kind, payload in ancillary:
                if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                    _, _, destination = PKTINFO.unpack(payload[: PKTINFO.size])
                    reply = PKTINFO.pack(0, destination, b"\0\0\0\0")
                    sock.sendmsg([data], [(socket.IPPROTO_IP, IP_PKTINFO, reply)], 0, addr)

    loop.add_reader(sock.fileno(), on_readable)
    conn.send(0.0)
    await asyncio.to_thread(conn.recv)


async def _per_address_readers(addresses: list[str], port: int, conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    sockets = []
    for address in addresses:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((address, port))
        sock.setblocking(False)
        sockets.append(sock)

        def on_readable(sock: socket.socket = sock) -> None:
            while True:
                try:
                    data, addr = sock.recvfrom(65_535)
                except BlockingIOError:
                    return
                sock.sendto(data, addr)

        loop.add_reader(sock.fileno(), on_readable)
    conn.send(time.perf_counter() - started)
    await asyncio.to_thread(conn.recv)


def _serve(layout: str, addresses: list[str], port: int, conn: Connection) -> None:
    if layout == "per-address-readers":
        asyncio.run(_per_address_readers(addresses, port, conn))
    elif layout == "per-address":
        asyncio.run(_per_address(addresses, port, conn))
    else:
        asyncio.run(_wildcard(port, conn))


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(addresses: list[str], port: int, rounds: int = 15) -> list[Figure]:
    """Echo each address `rounds` times through both layouts; check the reply's source."""
    figures = []
    payload = b"x" * 200
    for layout in ("per-address", "per-address-readers", "wildcard"):
        parent, child = multiprocessing.Pipe()
        process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(layout, addresses, port, child), daemon=True
        )
        process.start()
        if not parent.poll(120):
            raise RuntimeError(f"the {layout} echo server did not start")
        bind_s = parent.recv()
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        client.bind(("127.0.0.1", 0))
        client.settimeout(2.0)
        cpu = _cpu(process.pid or 0)
        answered = wrong_source = 0
        for _ in range(rounds):
            for start in range(0, len(addresses), 32):
                batch = addresses[start : start + 32]
                for address in batch:
                    client.sendto(payload, (address, port))
                for _ in batch:
                    try:
                        _, source = client.recvfrom(65_535)
                    except TimeoutError:
                        break
                    answered += 1
                    wrong_source += source[0] not in batch
        cpu = _cpu(process.pid or 0) - cpu
        parent.send("stop")
        process.join(5)
        client.close()
        name = layout.replace("-", "_")
        figures += [
            Figure(f"lab_socket_{name}_cpu_per_reply", cpu / max(answered, 1) * 1e6, "CPU µs"),
            Figure(f"lab_socket_{name}_wrong_source", wrong_source, "replies"),
        ]
        if layout == "per-address":
            figures.append(Figure("lab_socket_bind_all", bind_s, f"s ({len(addresses)} sockets)"))
    return figures
