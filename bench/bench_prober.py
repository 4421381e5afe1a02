"""The prober over the whole reference network: ICMP against Debian's fping on the same targets
in the same run, and one full slot by ICMP and by TWAMP-Light against the lab's reflectors.

Targets: every access link's far end as `prober.targets` loads them from the seeded reference
network (`bench/db.py`), one per link. Their addresses are in 127.0.0.0/8, so the kernel answers
ICMP echo at once: the figures are the sender's own cost, the network adds nothing. TWAMP-Light
goes to the lab (`bench/lab_run.py`), whose reflectors live in worker processes and add each
link's simulated base RTT (ADSL ≈ 20–40 ms, fibre ≈ 1–5 ms).

Figures (5 probes per target, like a slot):
- `prober_icmp_slot_*`: a production slot (probes spread over the first 2 s): wall time (goal:
  the whole network within 5 s of a 60 s slot), CPU per 1,000 probes vs fping with the same
  schedule (`-C 5 -p 400 -i 0`).
- `prober_icmp_burst_*`: as fast as each can (prober spread 0.2 s, fping `-p 40 -i 0`): probes/s
  and CPU per 1,000 probes vs fping.
- `prober_twamp_slot_*`: the same production slot by TWAMP-Light against the lab.
CPU is the prober's process CPU, fping's its child CPU; answered counts are reported beside.
Knobs: `BENCH_PROBER_TWAMP_PORT` (27862: the lab's reflectors, away from other runs' 862).
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import Figure
from bench.lab_run import running_lab
from prober.runner import ProbeOptions, probe_slot
from prober.types import Method, ProbeTarget
from simulation.lab.model import LabNetwork
from simulation.lab.worker import WorkerOptions

PROBES = 5
TWAMP_PORT = int(os.environ.get("BENCH_PROBER_TWAMP_PORT", "27862"))
SLOT = ProbeOptions(probes_per_slot=PROBES)  # the production schedule: 2 s spread, 1 s deadline
BURST = ProbeOptions(probes_per_slot=PROBES, spread_s=0.2)


@dataclass(frozen=True)
class Measured:
    probes: int
    answered: int
    wall_s: float
    cpu_s: float
    silent_links: int = 0  # targets that answered none of their probes
    problems: str = ""  # the run's reasons for replies that could not count

    @property
    def per_s(self) -> float:
        return self.probes / self.wall_s

    def per_1000(self) -> float:
        return self.cpu_s * 1000 / self.probes


def prober(targets: list[ProbeTarget], options: ProbeOptions) -> Measured:
    cpu, wall = time.process_time(), time.monotonic()
    results, run = asyncio.run(probe_slot(targets, datetime.now(UTC), options))
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    silent = sum(r.lost == r.sent for r in results)
    problems = ", ".join(f"{count} {reason}" for reason, count in sorted(run.problems.items()))
    return Measured(run.sent, run.answered, wall, cpu, silent, problems)


def answered(measured: Measured) -> str:
    text = f"{measured.answered}/{measured.probes} answered"
    if measured.silent_links:
        text += f", {measured.silent_links} links silent"
    return text + (f"; {measured.problems}" if measured.problems else "")


def fping(addresses: list[str], period_ms: int, workdir: Path) -> Measured:
    """Debian's fping, `-C` per target over the same addresses: its child CPU and wall time."""
    listing = workdir / "targets.txt"
    listing.write_text("\n".join(addresses) + "\n")
    command = [
        "fping",
        "-C",
        str(PROBES),
        "-q",
        "-i",
        "0",
        "-p",
        str(period_ms),
        "-t",
        "1000",
        "-f",
        str(listing),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall_s = time.monotonic() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rtts = [
        r
        for line in done.stderr.splitlines()
        if " : " in line
        for r in line.split(" : ", 1)[1].split()
    ]
    answered = sum(r != "-" for r in rtts)
    return Measured(len(addresses) * PROBES, answered, wall_s, cpu)


def _reference_targets() -> tuple[list[ProbeTarget], LabNetwork]:
    from bench.db import reference_database

    with reference_database():
        from django.db import connections

        from prober.targets import load_targets
        from simulation.lab.inventory_adapter import load_network

        targets = load_targets().targets
        network = load_network()
        connections.close_all()
    return targets, network


def run() -> list[Figure]:
    if shutil.which("fping") is None:
        raise RuntimeError("fping is missing: `make install` installs Debian's")
    targets, network = _reference_targets()
    icmp = [replace(t, method=Method.ICMP, port=0) for t in targets]
    n = len(icmp)
    workdir = Path(tempfile.mkdtemp(prefix="menhir-bench-prober-"))
    figures: list[Figure] = []
    try:
        addresses = [t.address for t in icmp]
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        slot, slot_fping = prober(icmp, SLOT), fping(addresses, 400, workdir)
        burst, burst_fping = prober(icmp, BURST), fping(addresses, 40, workdir)
        figures += [
            Figure("prober_icmp_slot_wall", slot.wall_s,
                   f"s ({n} targets, {answered(slot)}; load average {load}; goal ≤ 5)"),
            Figure("prober_icmp_slot_fping_wall", slot_fping.wall_s,
                   "s (fping -p 400: its rounds leave at once, the prober staggers them)"),
            Figure("prober_icmp_slot_cpu_per_1000_probes", slot.per_1000(), "s",
                   slot_fping.per_1000(), "fping"),
            Figure("prober_icmp_slot_fping_cpu_per_1000_probes", slot_fping.per_1000(),
                   f"s ({slot_fping.answered}/{slot_fping.probes} answered)"),
            Figure("prober_icmp_burst_probes_per_s", burst.per_s,
                   f"probes/s ({answered(burst)})",
                   burst_fping.per_s, "fping -p 40"),
            Figure("prober_icmp_burst_cpu_per_1000_probes", burst.per_1000(), "s",
                   burst_fping.per_1000(), "fping"),
            Figure("prober_icmp_burst_fping_probes_per_s", burst_fping.per_s,
                   f"probes/s ({burst_fping.answered}/{burst_fping.probes} answered)"),
        ]  # fmt: skip
        twamp = [replace(t, port=TWAMP_PORT) for t in targets]
        with running_lab(network, worker=WorkerOptions(twamp_port=TWAMP_PORT)):
            measured = prober(twamp, SLOT)
        figures += [
            Figure("prober_twamp_slot_wall", measured.wall_s,
                   f"s ({n} targets, {answered(measured)}; goal ≤ 5)"),
            Figure("prober_twamp_slot_cpu_per_1000_probes", measured.per_1000(), "s"),
        ]  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return figures
