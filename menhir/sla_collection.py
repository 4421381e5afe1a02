"""The daily SLA collection, a named step of the pipeline: yesterday's monitoring runs of every
access link (a Paris day, docs/sla.md R1), made from the raw samples while they are still kept.
Collecting a day again replaces its runs, so a second run costs one day's query and nothing else.

- Distributed mode: beat sends `menhir.collect_sla_runs` once a day at `COLLECT_AT`, Paris time
  (`menhir/celery.py`), after the day's last slots are closed; a failure is retried by the task.
- Embedded mode (`menhir poll`): `PollService.run_once` calls a `OncePerDay` of the same
  function after its cycle: once after a start, then at the first cycle of each day; a failure
  is logged and retried at the next cycle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time

from sla.collect import PARIS, collect_day, yesterday

log = logging.getLogger(__name__)

COLLECT_AT = time(0, 30)  # Paris time: the distributed mode's shards of 23:59 are long back
ZONE = PARIS


def collect_yesterday(now: datetime) -> date:
    """Collect the runs of the Paris day before `now`; returns that day (raises on failure)."""
    day = yesterday(now)
    done = collect_day(day)
    log.info(
        "SLA monitoring runs of %s: %d DOWN, %d UNKNOWN over %d links",
        day,
        done.down_runs,
        done.unknown_runs,
        done.links,
    )
    return day


class OncePerDay:
    """Runs `step(now)` for each Paris day once: at the first call after a start, then at the
    first call of each following day; a failed step is tried again at the next call."""

    def __init__(self, step: Callable[[datetime], date] = collect_yesterday) -> None:
        self.step = step
        self.done: date | None = None

    def __call__(self, now: datetime) -> bool:
        """Whether the step ran (and succeeded) at this call."""
        day = yesterday(now)
        if self.done == day:
            return False
        try:
            self.done = self.step(now)
        except Exception:
            log.exception("SLA monitoring runs of %s not collected; retried next cycle", day)
            return False
        return True
