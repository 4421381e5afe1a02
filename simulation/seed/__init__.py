"""The reference network: 2,026 Breton establishments, their PoPs, devices, links and contracts.

`seed_reference_network(seed)` builds the network in memory (`generate.build_plan`, deterministic
for a seed) and writes what the database lacks (`writer.write_plan`), in one transaction with one
change-log entry. Running it again changes nothing.
"""

from __future__ import annotations

import time

from simulation.seed.generate import build_plan
from simulation.seed.plan import NetworkPlan
from simulation.seed.progress import progress_bar
from simulation.seed.summary import SeedSummary
from simulation.seed.writer import SeedConflict, write_plan

__all__ = ["NetworkPlan", "SeedConflict", "SeedSummary", "build_plan", "seed_reference_network"]


def seed_reference_network(seed: int = 1, progress: bool = False, scale: int = 1) -> SeedSummary:
    """Load the reference network for `seed` (idempotent), `scale` regions of it (a federation,
    `federation.py`; 1: the reference network itself); raises SeedConflict on clashes."""
    started = time.perf_counter()
    plan = build_plan(seed, scale=scale)
    with progress_bar(plan, progress) as advance:
        created = write_plan(plan, advance)
    return SeedSummary(
        seed=seed,
        planned=plan.counts(),
        created=created,
        seconds=time.perf_counter() - started,
        findings=plan.findings,
    )
