"""A full poll cycle of the whole reference network against the running lab, and the peers.

The reference network (2,026 CPEs on SNMPv2c, the PoP and core routers on SNMPv3 authPriv) is
seeded into a throwaway database; `menhir lab`'s agents serve every device on its own loopback
address (worker processes: their CPU is never counted). Measured:

- the cycle `menhir poll` runs (`PollService.run_once`: poll every device, write the samples,
  detect): wall time, interfaces/s, CPU s per 1,000 interfaces — the goal is under 60 s wall;
  and, with the CPEs polled every 5 minutes, a cycle in which they are idle;
- polling only, per device kind (CPEs, routers), Menhir's poller against Net-SNMP (ezsnmp, C)
  and Prometheus' snmp_exporter (Go) over the same agents, the same credentials (v3 on the
  routers) and the same nine IF-MIB columns plus sysUpTime, each as a ratio; the routers also
  through pysnmp's v3 engine instead of Menhir's USM client;
- LLDP discovery over SNMP of every device, and its drift against the inventory.

Knobs: BENCH_NETWORK_CYCLES (measured cycles per poller, default 1; 5 for a median of five),
BENCH_NETWORK_CPES (how many CPEs the peers poll, default all), BENCH_NETWORK_SNMP_PORT (default
27150).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.figures import Figure
from bench.lab_run import running_lab
from bench.peers import Agent, Measured, ezsnmp, snmp_exporter
from poller.types import SnmpVersion, Target

CYCLES = int(os.environ.get("BENCH_NETWORK_CYCLES", "1"))
PEER_CPES = int(os.environ.get("BENCH_NETWORK_CPES", "0"))  # 0: all of them
SNMP_PORT = int(os.environ.get("BENCH_NETWORK_SNMP_PORT", "27150"))
EXPORTER_PORT = SNMP_PORT + 2
PEER_CONCURRENCY = 16
PEER_TIMEOUT_S = 5.0  # the peers' own timeout: they must not fail on a busy 2-core machine


def _menhir_poll(targets: Sequence[Target], concurrency: int, *, fast_v3: bool = True) -> Measured:
    """Polling only, one client (one event loop, its sockets and engines) across cycles."""
    from poller.runner import poll_many
    from poller.snmp.client import SnmpClient
    from poller.state import PollState

    state = PollState()

    async def go() -> Measured:
        async with SnmpClient(fast_v3=fast_v3) as client:

            async def cycle() -> int:
                outcomes = await poll_many(targets, state, concurrency=concurrency, client=client)
                failed = [f"{o.target.name}: {o.error}" for o in outcomes if not o.ok]
                if failed:
                    print(f"# {len(failed)} devices failed: {failed[:3]}", file=sys.stderr)
                return sum(len(o.interfaces) for o in outcomes if o.ok)

            await cycle()  # warm-up: sockets, v3 engine discovery, first counters
            cpu, wall = time.process_time(), time.perf_counter()
            interfaces = 0
            for _ in range(CYCLES):
                interfaces += await cycle()
            return Measured(
                time.process_time() - cpu, time.perf_counter() - wall, interfaces, CYCLES
            )

    return asyncio.run(go())


def _full_cycles() -> tuple[Measured, int, int, list[float]]:
    """What `menhir poll` does each minute: poll, write, detect, maintain.
    (measured, devices, devices that failed to answer over the measured cycles, each wall time)"""
    from menhir.polling import PollService

    service = PollService(interval_s=60)
    try:
        service.run_once()  # warm-up: first counters, the topology for detection
        cpu, wall = time.process_time(), time.perf_counter()
        interfaces = failed = 0
        walls: list[float] = []
        for _ in range(CYCLES):
            started = time.perf_counter()
            summary = service.run_once()
            walls.append(time.perf_counter() - started)
            interfaces += summary.interfaces
            failed += summary.errors
            if summary.errors:
                print(
                    f"# full cycle: {summary.errors} devices failed: {summary.error_samples}",
                    file=sys.stderr,
                    flush=True,
                )
        measured = Measured(
            time.process_time() - cpu, time.perf_counter() - wall, interfaces, CYCLES
        )
        return measured, summary.devices, failed, walls
    finally:
        service.close()


def _idle_cpe_cycle(full_wall_s: float) -> list[Figure]:
    """The same cycle with `MENHIR_POLL_INTERVALS=cpe=300`, in a minute the CPEs are not due:
    only the routers polled, the CPEs held at their last poll."""
    from datetime import UTC, datetime, timedelta

    from django.test import override_settings

    from menhir.polling import PollService

    epoch = int(time.time())
    due = datetime.fromtimestamp(epoch - epoch % 300 + 300, tz=UTC)  # the next CPE cycle
    with override_settings(MENHIR_POLL_INTERVALS="cpe=300"):
        service = PollService(interval_s=60)
        try:
            service.run_once(due)  # every role: the CPEs' last poll to hold
            wall = time.perf_counter()
            summary = service.run_once(due + timedelta(minutes=1))
            wall = time.perf_counter() - wall
        finally:
            service.close()
    return [
        Figure("network_cycle_cpes_idle_wall", wall,
               f"s ({summary.devices} devices, {summary.interfaces} interfaces, "
               f"{summary.held_down} held down; cpe=300)", full_wall_s, "full cycle"),
    ]  # fmt: skip


def _agents(targets: Sequence[Target]) -> list[Agent]:
    return [Agent(t.address, t.port, t.credentials, len(t.interfaces)) for t in targets]


def _peer(name: str, measure: Callable[[], Measured]) -> Measured | None:
    """A peer that fails is reported on stderr; Menhir's own figures are still printed."""
    try:
        return measure()
    except Exception as error:
        print(f"# {name} failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return None


def _compare(kind: str, targets: list[Target], workdir: Path) -> list[Figure]:
    from django.conf import settings

    ours = _menhir_poll(targets, settings.MENHIR_POLL_CONCURRENCY)
    peers = _agents(targets[:PEER_CPES] if PEER_CPES and kind == "cpe" else targets)
    versions = sorted({str(t.credentials.version) for t in targets})
    label = f"network_{len(targets)}_{kind}s_{'_'.join(versions)}"
    rows = ours.interfaces / ours.cycles
    figures = [
        Figure(f"{label}_poll_wall", ours.wall_s / ours.cycles, f"s ({rows:.0f} interfaces)"),
        Figure(f"{label}_poll_interfaces_per_s", ours.interfaces / ours.wall_s, "interfaces/s"),
    ]
    exporter = _peer(
        "snmp_exporter",
        lambda: snmp_exporter(
            peers,
            CYCLES,
            workdir,
            concurrency=PEER_CONCURRENCY,
            timeout_s=PEER_TIMEOUT_S,
            listen_port=EXPORTER_PORT,
        ),
    )
    ez = _peer("ezsnmp", lambda: ezsnmp(peers, CYCLES, PEER_CONCURRENCY, PEER_TIMEOUT_S))
    figures.append(
        Figure(
            f"{label}_poll_cpu_per_1000_interfaces",
            ours.per_1000(),
            "s",
            exporter.per_1000() if exporter else None,
            "snmp_exporter, same agents and columns",
        )
    )
    if ez:
        figures += [
            Figure(f"{label}_poll_cpu_per_1000_interfaces_vs_ezsnmp", ours.per_1000(), "s",
                   ez.per_1000(), f"ezsnmp (Net-SNMP C, {PEER_CONCURRENCY} threads)"),
            Figure(f"{label}_ezsnmp_cpu_per_1000_interfaces", ez.per_1000(), "s"),
        ]  # fmt: skip
    if kind == "router":  # the same routers through pysnmp's SNMPv3 engine, in the same run
        slow = _menhir_poll(targets, settings.MENHIR_POLL_CONCURRENCY, fast_v3=False)
        through = (
            f"the same poller through pysnmp's v3 engine, {slow.wall_s / slow.cycles:.2f} s wall"
        )
        figures.append(
            Figure(
                f"{label}_poll_cpu_per_1000_interfaces_vs_pysnmp_v3",
                ours.per_1000(),
                "s",
                slow.per_1000(),
                through,
            )
        )
    if exporter:
        figures += [
            Figure(f"{label}_snmp_exporter_cpu_per_1000_interfaces", exporter.per_1000(), "s"),
            Figure(f"{label}_snmp_exporter_wall", exporter.wall_s / exporter.cycles, "s"),
        ]
    return figures


def run() -> list[Figure]:
    from bench.db import reference_database

    workdir = Path(tempfile.mkdtemp(prefix="menhir-bench-network-"))
    figures: list[Figure] = []
    try:
        with reference_database():
            from django.db import connections

            from inventory.models import SNMPProfile
            from poller.targets import load_targets
            from simulation.lab.inventory_adapter import load_network

            SNMPProfile.objects.update(port=SNMP_PORT)  # the lab's agents on the bench's port
            network = load_network()
            targets = load_targets().targets
            connections.close_all()
            started = time.monotonic()
            with running_lab(network) as lab:
                ready_s = time.monotonic() - started
                figures.append(
                    Figure("network_lab_ready", ready_s, f"s ({len(network.devices)} agents)")
                )
                lab_cpu = _lab_cpu(lab.pids())
                full, devices, failed, walls = _full_cycles()
                interfaces = full.interfaces / full.cycles
                load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
                figures += [
                    Figure("network_full_cycle_wall_median", statistics.median(walls),
                           f"s (median of {len(walls)}; load average {load}; goal ≤ 10)"),
                    Figure("network_full_cycle_wall", full.wall_s / full.cycles,
                           f"s ({devices} devices, {interfaces:.0f} interfaces; goal < 60)"),
                    Figure("network_full_cycle_interfaces_per_s", full.interfaces / full.wall_s,
                           "interfaces/s"),
                    Figure("network_full_cycle_unanswered_devices", failed, "devices"),
                    Figure("network_full_cycle_cpu_per_1000_interfaces", full.per_1000(),
                           "s (poll, write, detect: the poller process)"),
                ]  # fmt: skip
                figures += _idle_cpe_cycle(full.wall_s / full.cycles)
                cpes = [t for t in targets if t.credentials.version == SnmpVersion.V2C]
                routers = [t for t in targets if t.credentials.version != SnmpVersion.V2C]
                figures += _compare("cpe", cpes, workdir)
                figures += _compare("router", routers, workdir)
                figures += _lldp_discovery(targets)
                spent = _lab_cpu(lab.pids()) - lab_cpu
                figures.append(
                    Figure(
                        "network_lab_cpu_whole_run", spent, "s (excluded from every figure above)"
                    )
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return figures


def _lldp_discovery(targets: list[Target]) -> list[Figure]:
    """LLDP-MIB of every device over SNMP, compared with the inventory (no drift expected)."""
    from inventory.models import Device
    from topology.actions import documented_links
    from topology.discovery.drift import compare
    from topology.discovery.snmp_run import query_lldp

    started = time.perf_counter()
    reports, errors = asyncio.run(query_lldp(targets))
    wall = time.perf_counter() - started
    names = [t.name for t in targets]
    neighbours = [n for r in reports for n in r.neighbours]
    inventory = Device.objects.values_list("name", flat=True)  # planned devices are neighbours too
    findings = compare(documented_links(names), neighbours, inventory, [r.device for r in reports])
    return [
        Figure("network_lldp_snmp_discovery_wall", wall,
               f"s ({len(reports)} devices read, {len(errors)} errors, {len(neighbours)} "
               "neighbours)"),
        Figure("network_lldp_snmp_drift_findings", len(findings), "findings (the lab matches the "
               "inventory: 0 expected)"),
    ]  # fmt: skip


def _lab_cpu(pids: list[int]) -> float:
    from bench.peers import process_cpu

    return sum(process_cpu(pid) for pid in pids)
