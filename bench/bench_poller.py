"""Poller figures: a full poll of N snmpd-backed 4-interface CPEs, against reference pollers.

Menhir's poller (fast v2c path, and the pysnmp path) is compared in the same run, on the same
agents and columns, with Net-SNMP's C library through ezsnmp (16 threads) and with Prometheus'
snmp_exporter (Go; scraped 16 at a time). CPU is each poller's own process CPU time: snmpd's is
never counted.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.figures import Figure
from poller.collectors.interfaces import HC_COLUMNS
from poller.runner import poll_many
from poller.snmp.client import SnmpClient
from poller.snmp.oids import SYS_UPTIME
from poller.state import PollState
from poller.types import Credentials, InterfaceRef, Target
from tests.poller.netns import VethPair
from tests.poller.snmpd import COMMUNITY, Snmpd

DEVICES = int(os.environ.get("BENCH_POLLER_DEVICES", "100"))  # snmpd binds at most ~120
ROUTERS = int(os.environ.get("BENCH_POLLER_ROUTERS", "10"))
CYCLES = int(os.environ.get("BENCH_POLLER_CYCLES", "10"))
PORT = 26601
ROUTER_IFBS = 200
CONCURRENCY = 16


@dataclass(frozen=True)
class Scenario:
    """Who answers: `addresses` (polled as distinct devices) with interfaces `if_indexes`."""

    name: str
    addresses: list[str]
    if_indexes: tuple[int, ...]
    allow_non_loopback: bool = False


def _cpes() -> Scenario:
    # lo, ifb0, ifb1, eth0 on this machine kind: a 4-interface "CPE"
    return Scenario("cpe", [f"127.0.4.{n}" for n in range(1, DEVICES + 1)], (1, 2, 3, 4))


def _targets(scenario: Scenario, credentials: Credentials) -> list[Target]:
    refs = {i: InterfaceRef(i) for i in scenario.if_indexes}
    return [
        Target(n, f"{scenario.name}{n}", a, credentials, port=PORT, timeout_s=2.0, retries=1,
               interfaces=refs)
        for n, a in enumerate(scenario.addresses, start=1)
    ]  # fmt: skip


def _dotted(oid: tuple[int, ...]) -> str:
    return ".".join(map(str, oid))


def _measure(cycle: Callable[[], int]) -> tuple[float, float, int]:
    """(process CPU s, wall s, interfaces) over CYCLES cycles after one warm-up cycle."""
    cycle()
    cpu, wall = time.process_time(), time.perf_counter()
    interfaces = sum(cycle() for _ in range(CYCLES))
    return time.process_time() - cpu, time.perf_counter() - wall, interfaces


def _menhir(
    targets: list[Target], *, fast: bool, allow_non_loopback: bool = False
) -> tuple[float, float, int]:
    """One event loop, one client (one pysnmp engine) for every cycle, as `menhir poll` runs."""
    state = PollState()

    async def go() -> tuple[float, float, int]:
        async with SnmpClient(fast_v2c=fast) as client:

            async def cycle() -> int:
                outcomes = await poll_many(
                    targets,
                    state,
                    concurrency=CONCURRENCY,
                    client=client,
                    allow_non_loopback=allow_non_loopback,
                )
                failed = [o.error for o in outcomes if not o.ok]
                if failed:
                    raise RuntimeError(f"{len(failed)} devices failed: {failed[:3]}")
                return sum(len(o.interfaces) for o in outcomes)

            await cycle()  # warm-up: engine, sockets, first state
            cpu, wall = time.process_time(), time.perf_counter()
            interfaces = 0
            for _ in range(CYCLES):
                interfaces += await cycle()
            return time.process_time() - cpu, time.perf_counter() - wall, interfaces

    return asyncio.run(go())


def _ezsnmp(scenario: Scenario, community: str) -> tuple[float, float, int]:
    """One GETBULK of all columns for small tables; a bulk walk of each column for large ones."""
    from ezsnmp import Session

    rows = len(scenario.if_indexes)
    columns = [_dotted(c) for c in HC_COLUMNS]
    sessions = [
        Session(hostname=a, port_number=PORT, version=2, community=community, timeout=2,
                retries=1, set_max_repeaters_to_num=min(rows, 25))
        for a in scenario.addresses
    ]  # fmt: skip

    def one(session: object) -> int:
        if rows * len(columns) < 100:
            results = session.bulk_get([_dotted(SYS_UPTIME), *columns])  # type: ignore[attr-defined]
        else:
            session.get(_dotted(SYS_UPTIME) + ".0")  # type: ignore[attr-defined]
            results = []  # ezsnmp's bulk_walk of a list walks only its first OID
            for column in columns:
                results += session.bulk_walk(column)  # type: ignore[attr-defined]
        polled = sum(1 for r in results if "2.2.1.8" in r.oid or "ifOperStatus" in r.oid)
        if not polled:
            raise RuntimeError("ezsnmp read no ifOperStatus")
        return min(polled, rows)

    pool = ThreadPoolExecutor(CONCURRENCY)

    def cycle() -> int:
        return sum(pool.map(one, sessions))

    try:
        return _measure(cycle)
    finally:
        pool.shutdown()


def _exporter_config(community: str, rows: int) -> str:
    lines = [
        "menhir:",
        "  version: 2",
        "  auth:",
        f"    community: {community}",
        f"  max_repetitions: {min(rows, 50)}",
        "  retries: 1",
        "  timeout: 2s",
        "  get:",
        "  - 1.3.6.1.2.1.1.3.0",
        "  walk:",
    ]
    lines += [f"  - {_dotted(c)}" for c in HC_COLUMNS]
    lines += [
        "  metrics:",
        "  - name: sysUpTime",
        "    oid: 1.3.6.1.2.1.1.3",
        "    type: gauge",
    ]
    for n, column in enumerate(HC_COLUMNS):
        lines += [
            f"  - name: column{n}",
            f"    oid: {_dotted(column)}",
            "    type: counter" if n < 6 else "    type: gauge",
            "    indexes:",
            "    - labelname: ifIndex",
            "      type: gauge",
        ]
    return "\n".join(lines) + "\n"


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _snmp_exporter(scenario: Scenario, community: str, workdir: Path) -> tuple[float, float, int]:
    config = workdir / "snmp.yml"
    config.write_text(_exporter_config(community, len(scenario.if_indexes)))
    listen = f"127.0.0.1:{_free_port()}"
    process = subprocess.Popen(
        ["prometheus-snmp-exporter", f"--config.file={config}", f"--web.listen-address={listen}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_http(f"http://{listen}/")
        urls = [f"http://{listen}/snmp?module=menhir&target={a}:{PORT}" for a in scenario.addresses]

        def one(url: str) -> int:
            with urllib.request.urlopen(url, timeout=10) as reply:
                body = reply.read().decode()
            if "column6{" not in body:
                raise RuntimeError(f"snmp_exporter returned no interfaces for {url}")
            return min(body.count("column6{"), len(scenario.if_indexes))

        pool = ThreadPoolExecutor(CONCURRENCY)
        cpu_box: list[float] = []

        def cycle() -> int:
            return sum(pool.map(one, urls))

        cycle()  # warm-up
        cpu0, wall = _process_cpu(process.pid), time.perf_counter()
        interfaces = sum(cycle() for _ in range(CYCLES))
        cpu_box.append(_process_cpu(process.pid) - cpu0)
        pool.shutdown()
        return cpu_box[0], time.perf_counter() - wall, interfaces
    finally:
        process.terminate()
        process.wait(10)


def _wait_http(url: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _compare(scenario: Scenario, community: str, workdir: Path) -> list[Figure]:
    from tests.poller.conftest import V3

    allow = scenario.allow_non_loopback
    targets = _targets(scenario, Credentials(community=community))
    fast_cpu, fast_wall, fast_n = _menhir(targets, fast=True, allow_non_loopback=allow)
    slow_cpu, _, slow_n = _menhir(targets, fast=False, allow_non_loopback=allow)
    v3_cpu, _, v3_n = _menhir(_targets(scenario, V3), fast=False, allow_non_loopback=allow)
    ez_cpu, _, ez_n = _ezsnmp(scenario, community)
    ex_cpu, _, ex_n = _snmp_exporter(scenario, community, workdir)

    def per_1000(cpu: float, n: int) -> float:
        return cpu / n * 1000

    ours = per_1000(fast_cpu, fast_n)
    exporter = per_1000(ex_cpu, ex_n)
    label = f"{len(scenario.addresses)}_{scenario.name}s_{len(scenario.if_indexes)}if"
    return [
        Figure(f"poller_{label}_cycle_wall", fast_wall / CYCLES, "s"),
        Figure(f"poller_{label}_interfaces_per_s", fast_n / fast_wall, "interfaces/s"),
        Figure(f"poller_{label}_cpu_per_1000_interfaces", ours, "s", exporter, "snmp_exporter"),
        Figure(f"poller_{label}_cpu_per_1000_interfaces_vs_ezsnmp", ours, "s",
               per_1000(ez_cpu, ez_n), "ezsnmp (Net-SNMP C, 16 threads)"),
        Figure(f"poller_{label}_cpu_per_1000_interfaces_vs_pysnmp_path", ours, "s",
               per_1000(slow_cpu, slow_n), "the same poller through pysnmp's decoder"),
        Figure(f"poller_{label}_v3_authpriv_cpu_per_1000_interfaces", per_1000(v3_cpu, v3_n),
               "s", exporter, "snmp_exporter (v2c)"),
        Figure(f"snmp_exporter_{label}_cpu_per_1000_interfaces", exporter, "s"),
    ]  # fmt: skip


def _router_agent(workdir: Path) -> tuple[Scenario, Snmpd, VethPair]:
    """snmpd in a namespace of its own with 200 ifb links, reached over a veth pair."""
    pair = VethPair("bench", subnet_index=3000).create()
    for n in range(ROUTER_IFBS):
        subprocess.run(
            ["ip", "-n", pair.namespace, "link", "add", f"ifbr{n}", "type", "ifb"], check=True
        )
        subprocess.run(["ip", "-n", pair.namespace, "link", "set", f"ifbr{n}", "up"], check=True)
    agent = Snmpd(
        [pair.far_address],
        PORT,
        extra_config=f"rocommunity {COMMUNITY} {pair.subnet}\n",
        namespace=pair.namespace,
        workdir=workdir / "router-snmpd",
    )
    agent.workdir.mkdir()
    agent.start(timeout_s=30)
    indexes = subprocess.run(
        ["ip", "-n", pair.namespace, "-o", "link"], capture_output=True, text=True, check=True
    ).stdout
    if_indexes = tuple(int(line.split(":", 1)[0]) for line in indexes.splitlines())
    addresses = [pair.far_address] * ROUTERS  # one agent polled as ROUTERS devices
    return Scenario("router", addresses, if_indexes, allow_non_loopback=True), agent, pair


def run() -> list[Figure]:
    workdir = Path(tempfile.mkdtemp(prefix="menhir-bench-poller-"))
    figures: list[Figure] = []
    try:
        cpes = _cpes()
        agent = Snmpd(cpes.addresses, PORT).start(timeout_s=30)
        try:
            figures += _compare(cpes, COMMUNITY, workdir)
        finally:
            agent.stop()
        router, router_agent, pair = _router_agent(workdir)
        try:
            figures += _compare(router, COMMUNITY, workdir)
        finally:
            router_agent.stop()
            pair.remove()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return figures
