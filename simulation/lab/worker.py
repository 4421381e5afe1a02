"""One lab process: the agents of its shard on their own addresses, commands from the supervisor.

Each agent has its own UDP socket bound to its management address, so a reply always leaves from
the address the request was sent to, and the kernel spreads nothing: the shard owns its addresses.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from simulation.lab.agent import DeviceAgent
from simulation.lab.model import LabDevice
from simulation.lab.reflector import Accepted

log = logging.getLogger(__name__)
RECEIVE_BUFFER = 1 << 20


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    port: int | None = None  # every agent on this port instead of its profile's
    codec: str = "fast"
    max_message_size: int = 65_507
    max_varbinds: int = 2_000
    # TWAMP-Light reflectors' port; None: no reflectors (`menhir lab` serves them on 862)
    twamp_port: int | None = None


class AgentSocket:
    """An agent's socket, read straight from the event loop (no transport object in between).

    Measured by bench/lab_sockets.py (echo only, 2,086 addresses): asyncio's datagram transports
    cost 18–58 µs of CPU per reply (55 µs in most runs), a reader draining the socket with
    recvfrom/sendto 20–23 µs, one wildcard socket answering with IP_PKTINFO 16–18 µs (but that
    one cannot be sharded by address).
    """

    def __init__(self, agent: DeviceAgent, sock: socket.socket) -> None:
        self.agent = agent
        self.sock = sock

    def on_readable(self) -> None:
        sock = self.sock
        while True:
            try:
                data, addr = sock.recvfrom(65_535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # e.g. an ICMP error queued on the socket: skip it
                continue
            try:
                reply = self.agent.handle(data)
            except Exception:  # one bad datagram must never stop the agent
                log.exception("agent %s failed on a request", self.agent.device.name)
                continue
            if reply is None:
                continue
            if reply.delay > 0:
                asyncio.get_running_loop().call_later(reply.delay, self.send, reply.data, addr)
            else:
                self.send(reply.data, addr)

    def send(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            self.sock.sendto(data, addr)
        except OSError as error:  # a full send buffer or a closed socket: UDP drops it
            log.debug("agent %s could not reply: %s", self.agent.device.name, error)


TTL_ANCILLARY = socket.CMSG_SPACE(4)
IP_RECVTTL = 12  # Linux <netinet/in.h>; Python's socket module does not name it


class ReflectorSocket:
    """An agent's TWAMP-Light socket: reflect test packets after the link's simulated delay.

    The delay is an event-loop timer (the asyncio equivalent of sleeping before the reply), so a
    slow link costs no CPU while it waits. `silent` drops test packets as it drops SNMP.
    """

    def __init__(self, agent: DeviceAgent, sock: socket.socket) -> None:
        self.agent = agent
        self.sock = sock

    def on_readable(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                data, ancillary, _, addr = self.sock.recvmsg(65_535, TTL_ANCILLARY)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue
            received = time.time()
            if self.agent.silent:
                continue
            accepted = self.agent.reflector.accept(data)
            if accepted is None:
                continue
            ttl = 255
            for level, kind, value in ancillary:
                if level == socket.IPPROTO_IP and kind == socket.IP_TTL and len(value) >= 4:
                    ttl = int.from_bytes(value[:4], sys.byteorder)
            loop.call_later(accepted.delay_s, self.send, accepted, received, ttl, addr)

    def send(self, accepted: Accepted, received: float, ttl: int, addr: tuple[str, int]) -> None:
        if self.agent.silent:  # silenced while the packet was "on the wire"
            return
        data = self.agent.reflector.reflect(accepted, received, time.time(), ttl)
        try:
            self.sock.sendto(data, addr)
        except OSError as error:
            log.debug("reflector %s could not reply: %s", self.agent.device.name, error)


def reflector_socket(address: str, port: int) -> socket.socket:
    sock = agent_socket(address, port)
    sock.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)  # the sender's TTL, to echo
    return sock


def agent_socket(address: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    sock.bind((address, port))
    sock.setblocking(False)
    return sock


async def serve(
    devices: list[LabDevice], options: WorkerOptions
) -> tuple[dict[str, DeviceAgent], list[socket.socket]]:
    """Create the agents and bind their sockets; raises OSError naming the address that failed."""
    loop = asyncio.get_running_loop()
    agents: dict[str, DeviceAgent] = {}
    sockets: list[socket.socket] = []
    for device in devices:
        agent = DeviceAgent(
            device,
            codec=options.codec,
            max_message_size=options.max_message_size,
            max_varbinds=options.max_varbinds,
        )
        port = options.port or device.port
        try:
            sock = agent_socket(device.address, port)
        except OSError as error:
            close(sockets)
            raise OSError(f"{device.name}: cannot bind {device.address}:{port}: {error}") from None
        loop.add_reader(sock.fileno(), AgentSocket(agent, sock).on_readable)
        sockets.append(sock)
        if options.twamp_port is not None:
            try:
                sock = reflector_socket(device.address, options.twamp_port)
            except OSError as error:
                close(sockets)
                raise OSError(
                    f"{device.name}: cannot bind TWAMP {device.address}:{options.twamp_port}: "
                    f"{error}"
                ) from None
            loop.add_reader(sock.fileno(), ReflectorSocket(agent, sock).on_readable)
            sockets.append(sock)
        agents[device.name] = agent
    return agents, sockets


def close(sockets: list[socket.socket]) -> None:
    loop = asyncio.get_running_loop()
    for sock in sockets:
        loop.remove_reader(sock.fileno())
        sock.close()


def apply(agents: dict[str, DeviceAgent], command: dict[str, Any]) -> dict[str, Any]:
    """Apply one supervisor command to the agents this process holds."""
    op = command["op"]
    now = command["at"]
    devices = [agents[n] for n in command.get("devices", ()) if n in agents]
    ports: dict[str, set[int]] = {}
    for name, idx in command.get("ports", ()):
        if name in agents:
            ports.setdefault(name, set()).add(idx)
    if op == "inject":
        fault = command["fault"]
        for agent in devices:
            if fault == "silent":
                agent.silent = True
            elif fault == "agent-silent":
                agent.agent_silent = True
            elif fault == "garbage":
                agent.garbage = True
            elif fault == "slow":
                agent.slow = float(command["delay_s"])
            elif fault == "counter32":
                agent.set_counter32(True)
            elif fault == "reboot":
                agent.reboot(now)
            elif fault == "latency":
                agent.reflector.set_latency(
                    float(command["ms"]), float(command.get("jitter_ms", 0)), command.get("seed", 0)
                )
            elif fault == "loss":
                agent.reflector.set_loss(float(command["pct"]), command.get("seed", 0))
        for name, indexes in ports.items():
            agent = agents[name]
            if fault == "iface-down":
                agent.set_ports(now, agent.down | indexes, agent.saturated)
            elif fault == "saturate":
                agent.set_ports(now, agent.down, agent.saturated | indexes)
    elif op == "clear":
        if command.get("all"):
            devices = list(agents.values())
        for agent in devices:
            agent.clear(now)
        for name, indexes in ports.items():
            agent = agents[name]
            agent.set_ports(now, agent.down - indexes, agent.saturated - indexes)
    return {name: agent.faults() for name, agent in agents.items() if agent.faults()}


def run_worker(conn: Connection, devices: list[LabDevice], options: WorkerOptions) -> None:
    """Entry point of a worker process."""
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_main(conn, devices, options))


async def _main(conn: Connection, devices: list[LabDevice], options: WorkerOptions) -> None:
    loop = asyncio.get_running_loop()
    try:
        agents, sockets = await serve(devices, options)
    except OSError as error:
        conn.send({"error": str(error)})
        return
    conn.send({"bound": len(agents)})
    stop = asyncio.Event()

    def on_command() -> None:
        try:
            command = conn.recv()
        except (EOFError, OSError):
            stop.set()
            return
        if command["op"] == "stop":
            stop.set()
            return
        try:
            conn.send({"faults": apply(agents, command)})
        except Exception as error:  # report, keep serving
            log.exception("command failed")
            conn.send({"error": str(error)})

    loop.add_reader(conn.fileno(), on_command)
    await stop.wait()
    loop.remove_reader(conn.fileno())
    close(sockets)
