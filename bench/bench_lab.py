"""The lab's cost: CPU per 1,000 interface-rows served, replies/s, and start-up time to `ready`.

A synthetic network shaped like the reference one (2,026 CPEs with 4 interfaces, 60 PoP routers
with 200) is built as plain values: the benchmark needs no database. Requests have the poller's
shape: one GETBULK per device, sysUpTime as a non-repeater, then the IF-MIB columns it reads.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import time

from bench.figures import Figure
from bench.lab_sockets import measure as measure_sockets
from simulation.lab import ber
from simulation.lab.agent import DeviceAgent
from simulation.lab.model import LabDevice, LabInterface, LabNetwork, SnmpCredentials, Traffic
from simulation.lab.probe import reply_id
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions

COLUMNS = (
    "1.3.6.1.2.1.31.1.1.1.6",  # ifHCInOctets
    "1.3.6.1.2.1.31.1.1.1.10",  # ifHCOutOctets
    "1.3.6.1.2.1.2.2.1.8",  # ifOperStatus
    "1.3.6.1.2.1.31.1.1.1.15",  # ifHighSpeed
)
CPES, ROUTERS, CPE_IFS, ROUTER_IFS = 2_026, 60, 4, 200


def synthetic_network(port: int) -> LabNetwork:
    rng = random.Random(7)
    devices = []
    credentials = SnmpCredentials("v2c", community="public")
    categories = ("lycee", "ecole", "health", "local_authority", "higher_education", "culture")

    def make(n: int, name: str, interfaces: int, limit: int) -> LabDevice:
        ifaces = tuple(
            LabInterface(
                i,
                f"ge-{i}",
                "",
                6,
                1_000_000_000,
                True,
                Traffic(limit, limit // 2, rng.choice(categories)),
            )
            for i in range(1, interfaces + 1)
        )
        address = f"127.{200 + n // 64_516}.{1 + n // 254 % 254}.{1 + n % 254}"
        return LabDevice(
            name,
            address,
            port,
            credentials,
            "bench",
            (1, 3, 6, 1, 4, 1, 8072),
            "",
            bytes(6),
            ifaces,
        )

    for n in range(1, CPES + 1):
        devices.append(make(n, f"cpe-{n}", CPE_IFS, rng.choice((8, 20, 100, 1000)) * 10**6))
    for n in range(CPES + 1, CPES + ROUTERS + 1):
        devices.append(make(n, f"router-{n}", ROUTER_IFS, 10**10))
    return LabNetwork(tuple(devices))


def bulk_request(community: str, request_id: int, interfaces: int) -> bytes:
    names = [ber.parse_oid("1.3.6.1.2.1.1.3")] + [ber.parse_oid(c) for c in COLUMNS]
    varbinds = b"".join(
        ber.tlv(ber.SEQUENCE, ber.tlv(ber.OBJECT_IDENTIFIER, n) + b"\x05\x00") for n in names
    )
    pdu = ber.tlv(
        ber.GET_BULK_REQUEST,
        ber.encode_int(request_id)
        + ber.encode_int(1)
        + ber.encode_int(interfaces)
        + ber.tlv(ber.SEQUENCE, varbinds),
    )
    return ber.tlv(
        ber.SEQUENCE, b"\x02\x01\x01" + ber.tlv(ber.OCTET_STRING, community.encode()) + pdu
    )


def cpu_per_thousand_rows(device: LabDevice, codec: str, repeat: int) -> float:
    """CPU seconds the agent spends (in process, no sockets) per 1,000 interface-rows."""
    agent = DeviceAgent(device, codec=codec)
    request = bulk_request("public", 1, len(device.interfaces))
    start = time.process_time()
    for _ in range(repeat):
        reply = agent.handle(request)
        assert reply is not None
    spent = time.process_time() - start
    return spent / (repeat * len(device.interfaces)) * 1_000


def _proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Blaster(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.replies = 0
        self.done = asyncio.Event()
        self.expected = 0

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if reply_id(data) is not None:
            self.replies += 1
            if self.replies >= self.expected:
                self.done.set()


async def over_udp(network: LabNetwork, cycles: int) -> list[Figure]:
    started = time.monotonic()
    lab = Lab(network, LabOptions(control_port=0, worker=WorkerOptions()))
    await lab.start()
    try:
        missing = await lab.check_ready()
        assert not missing, missing[:5]
        ready_s = time.monotonic() - started
        loop = asyncio.get_running_loop()
        transport, blaster = await loop.create_datagram_endpoint(
            _Blaster, local_addr=("127.0.0.1", 0)
        )
        sock = transport.get_extra_info("socket")
        sock.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_RCVBUF, 8 << 20)
        ids = itertools.count(1)
        requests = [
            (bulk_request("public", next(ids), len(d.interfaces)), (d.address, d.port))
            for d in network.devices
        ]
        rows = sum(len(d.interfaces) for d in network.devices) * cycles
        pids = [p.pid for p in lab.processes if p.pid]
        cpu_before = sum(_proc_cpu(pid) for pid in pids)
        wall = time.monotonic()
        blaster.expected = len(requests) * cycles
        in_flight = 64
        for _ in range(cycles):
            for start in range(0, len(requests), in_flight):
                target = blaster.replies + min(in_flight, len(requests) - start)
                for packet, address in requests[start : start + in_flight]:
                    transport.sendto(packet, address)
                deadline = loop.time() + 2.0
                while blaster.replies < target - 2 and loop.time() < deadline:
                    await asyncio.sleep(0.0005)
        wall = time.monotonic() - wall
        cpu = sum(_proc_cpu(pid) for pid in pids) - cpu_before
        transport.close()
    finally:
        await lab.stop()
    devices = len(network.devices)
    return [
        Figure("lab_ready_whole_network", ready_s, f"s ({devices} agents, {len(pids)} processes)"),
        Figure("lab_udp_replies_per_s", blaster.replies / wall, "replies/s"),
        Figure("lab_udp_cpu_per_1000_rows", cpu / rows * 1_000, "CPU s"),
        Figure("lab_udp_cpu_per_reply", cpu / max(blaster.replies, 1) * 1e6, "CPU µs"),
        Figure("lab_udp_lost_replies", blaster.expected - blaster.replies, "replies"),
    ]


def run() -> list[Figure]:
    network = synthetic_network(port=random.randrange(28_000, 32_700))  # below the ephemeral ports
    cpe = network.devices[0]
    router = network.devices[-1]
    figures = []
    for codec in ("fast", "full"):
        reference = cpu_per_thousand_rows(cpe, "full", 300) if codec == "fast" else None
        for label, device, repeat in (("cpe4", cpe, 2_000), ("router200", router, 60)):
            value = cpu_per_thousand_rows(device, codec, repeat)
            figures.append(
                Figure(
                    f"lab_{codec}_cpu_per_1000_rows_{label}",
                    value,
                    "CPU s",
                    reference if label == "cpe4" else None,
                    "full codec",
                )
            )
    figures += asyncio.run(over_udp(network, cycles=3))
    port = random.randrange(28_000, 32_700)  # below the ephemeral ports
    figures += measure_sockets([d.address for d in network.devices], port)
    return figures
