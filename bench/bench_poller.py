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
from pathlib import Path

from bench.figures import Figure
from poller.collectors.interfaces import HC_COLUMNS
from poller.runner import poll_many
from poller.snmp.client import SnmpClient
from poller.snmp.oids import SYS_UPTIME
from poller.state import PollState
from poller.types import Credentials, InterfaceRef, Target

DEVICES = int(os.environ.get("BENCH_POLLER_DEVICES", "100"))  # snmpd binds at most ~120
CYCLES = int(os.environ.get("BENCH_POLLER_CYCLES", "10"))
IF_INDEXES = (1, 2, 3, 4)  # lo, ifb0, ifb1, eth0 on this machine kind: a 4-interface "CPE"
PORT = 26601
CONCURRENCY = 16


def _addresses() -> list[str]:
    return [f"127.0.4.{n}" for n in range(1, DEVICES + 1)]


def _targets(credentials: Credentials) -> list[Target]:
    refs = {i: InterfaceRef(i) for i in IF_INDEXES}
    return [
        Target(n, f"cpe{n}", a, credentials, port=PORT, timeout_s=2.0, retries=1,
               interfaces=refs)
        for n, a in enumerate(_addresses(), start=1)
    ]  # fmt: skip


def _dotted(oid: tuple[int, ...]) -> str:
    return ".".join(map(str, oid))


def _measure(cycle: Callable[[], int]) -> tuple[float, float, int]:
    """(process CPU s, wall s, interfaces) over CYCLES cycles after one warm-up cycle."""
    cycle()
    cpu, wall = time.process_time(), time.perf_counter()
    interfaces = sum(cycle() for _ in range(CYCLES))
    return time.process_time() - cpu, time.perf_counter() - wall, interfaces


def _menhir(targets: list[Target], *, fast: bool) -> tuple[float, float, int]:
    """One event loop, one client (one pysnmp engine) for every cycle, as `menhir poll` runs."""
    state = PollState()

    async def go() -> tuple[float, float, int]:
        async with SnmpClient(fast_v2c=fast) as client:

            async def cycle() -> int:
                outcomes = await poll_many(targets, state, concurrency=CONCURRENCY, client=client)
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


def _ezsnmp(community: str) -> tuple[float, float, int]:
    from ezsnmp import Session

    oids = [_dotted(SYS_UPTIME)] + [_dotted(c) for c in HC_COLUMNS]
    sessions = [
        Session(hostname=a, port_number=PORT, version=2, community=community, timeout=2,
                retries=1, set_max_repeaters_to_num=len(IF_INDEXES))
        for a in _addresses()
    ]  # fmt: skip

    def one(session: object) -> int:
        results = session.bulk_get(oids)  # type: ignore[attr-defined]
        return sum(1 for r in results if r.oid.startswith(".1.3.6.1.2.1.2.2.1.8") or
                   "ifOperStatus" in r.oid) or len(IF_INDEXES)  # fmt: skip

    pool = ThreadPoolExecutor(CONCURRENCY)

    def cycle() -> int:
        return sum(pool.map(one, sessions))

    try:
        return _measure(cycle)
    finally:
        pool.shutdown()


def _exporter_config(community: str) -> str:
    lines = [
        "menhir:",
        "  version: 2",
        "  auth:",
        f"    community: {community}",
        f"  max_repetitions: {len(IF_INDEXES)}",
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


def _snmp_exporter(community: str, workdir: Path) -> tuple[float, float, int]:
    config = workdir / "snmp.yml"
    config.write_text(_exporter_config(community))
    listen = f"127.0.0.1:{_free_port()}"
    process = subprocess.Popen(
        ["prometheus-snmp-exporter", f"--config.file={config}", f"--web.listen-address={listen}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_http(f"http://{listen}/")
        urls = [f"http://{listen}/snmp?module=menhir&target={a}:{PORT}" for a in _addresses()]

        def one(url: str) -> int:
            with urllib.request.urlopen(url, timeout=10) as reply:
                body = reply.read().decode()
            if "column6{" not in body:
                raise RuntimeError(f"snmp_exporter returned no interfaces for {url}")
            return body.count("column6{")

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


def run() -> list[Figure]:
    from tests.poller.conftest import V3
    from tests.poller.snmpd import COMMUNITY, Snmpd

    workdir = Path(tempfile.mkdtemp(prefix="menhir-bench-poller-"))
    agent = Snmpd(_addresses(), PORT).start(timeout_s=30)
    try:
        targets = _targets(Credentials(community=COMMUNITY))
        fast_cpu, fast_wall, fast_n = _menhir(targets, fast=True)
        slow_cpu, _, slow_n = _menhir(targets, fast=False)
        v3_cpu, _, v3_n = _menhir(_targets(V3), fast=False)
        ez_cpu, _, ez_n = _ezsnmp(COMMUNITY)
        ex_cpu, _, ex_n = _snmp_exporter(COMMUNITY, workdir)
    finally:
        agent.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    def per_1000(cpu: float, n: int) -> float:
        return cpu / n * 1000

    ours = per_1000(fast_cpu, fast_n)
    exporter = per_1000(ex_cpu, ex_n)
    return [
        Figure(f"poller_cycle_{DEVICES}_cpes_wall", fast_wall / CYCLES, "s"),
        Figure("poller_interfaces_per_s", fast_n / fast_wall, "interfaces/s"),
        Figure("poller_cpu_per_1000_interfaces", ours, "s", exporter, "snmp_exporter"),
        Figure("poller_cpu_per_1000_interfaces_vs_ezsnmp", ours, "s", per_1000(ez_cpu, ez_n),
               "ezsnmp (Net-SNMP C, 16 threads)"),
        Figure("poller_cpu_per_1000_interfaces_vs_pysnmp_path", ours, "s",
               per_1000(slow_cpu, slow_n), "the same poller through pysnmp's decoder"),
        Figure("poller_v3_authpriv_cpu_per_1000_interfaces", per_1000(v3_cpu, v3_n), "s",
               exporter, "snmp_exporter (v2c)"),
        Figure("snmp_exporter_cpu_per_1000_interfaces", exporter, "s"),
    ]  # fmt: skip
