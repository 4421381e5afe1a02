"""A rich progress bar over the sections of the plan being written (or nothing at all)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from simulation.seed.plan import PLAN_SECTIONS, NetworkPlan
from simulation.seed.writer import Advance


@contextlib.contextmanager
def progress_bar(plan: NetworkPlan, enabled: bool) -> Iterator[Advance | None]:
    """Yields the writer's `advance(section, n)`, or None when the bar is disabled."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as bar:
        counts = plan.counts()
        tasks = {s: bar.add_task(s.replace("_", " "), total=counts[s]) for s in PLAN_SECTIONS}

        def advance(section: str, n: int) -> None:
            bar.advance(tasks[section], n)

        yield advance
