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
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.figures import Figure
from bench.peers import Agent, ezsnmp, snmp_exporter
from poller.runner import poll_many
from poller.snmp.client import SnmpClient
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
        Target(
            n,
            f"{scenario.name}{n}",
            a,
            credentials,
            port=PORT,
            timeout_s=2.0,
            retries=1,
            interfaces=refs,
        )
        for n, a in enumerate(scenario.addresses, start=1)
    ]


def _agents(scenario: Scenario, community: str) -> list[Agent]:
    credentials = Credentials(community=community)
    return [Agent(a, PORT, credentials, len(scenario.if_indexes)) for a in scenario.addresses]


def _menhir(
    targets: list[Target], *, fast: bool, allow_non_loopback: bool = False
) -> tuple[float, float, int]:
    """One event loop, one client (its sockets, engines) per run, as `menhir poll` runs."""
    state = PollState()

    async def go() -> tuple[float, float, int]:
        async with SnmpClient(fast_v2c=fast, fast_v3=fast) as client:

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


def _compare(scenario: Scenario, community: str, workdir: Path) -> list[Figure]:
    from tests.poller.conftest import V3

    allow = scenario.allow_non_loopback
    targets = _targets(scenario, Credentials(community=community))
    fast_cpu, fast_wall, fast_n = _menhir(targets, fast=True, allow_non_loopback=allow)
    slow_cpu, _, slow_n = _menhir(targets, fast=False, allow_non_loopback=allow)
    v3_cpu, _, v3_n = _menhir(_targets(scenario, V3), fast=True, allow_non_loopback=allow)
    v3_slow_cpu, _, v3_slow_n = _menhir(
        _targets(scenario, V3), fast=False, allow_non_loopback=allow
    )
    ez = ezsnmp(_agents(scenario, community), CYCLES, CONCURRENCY)
    ex = snmp_exporter(_agents(scenario, community), CYCLES, workdir, concurrency=CONCURRENCY)

    def per_1000(cpu: float, n: int) -> float:
        return cpu / n * 1000

    ours = per_1000(fast_cpu, fast_n)
    exporter = ex.per_1000()
    label = f"{len(scenario.addresses)}_{scenario.name}s_{len(scenario.if_indexes)}if"
    return [
        Figure(f"poller_{label}_cycle_wall", fast_wall / CYCLES, "s"),
        Figure(f"poller_{label}_interfaces_per_s", fast_n / fast_wall, "interfaces/s"),
        Figure(f"poller_{label}_cpu_per_1000_interfaces", ours, "s", exporter, "snmp_exporter"),
        Figure(f"poller_{label}_cpu_per_1000_interfaces_vs_ezsnmp", ours, "s",
               ez.per_1000(), "ezsnmp (Net-SNMP C, 16 threads)"),
        Figure(f"poller_{label}_cpu_per_1000_interfaces_vs_pysnmp_path", ours, "s",
               per_1000(slow_cpu, slow_n), "the same poller through pysnmp's decoder"),
        Figure(f"poller_{label}_v3_authpriv_cpu_per_1000_interfaces", per_1000(v3_cpu, v3_n),
               "s", exporter, "snmp_exporter (v2c)"),
        Figure(f"poller_{label}_v3_authpriv_pysnmp_cpu_per_1000_interfaces",
               per_1000(v3_slow_cpu, v3_slow_n), "s", exporter, "snmp_exporter (v2c)"),
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
