"""The distributed mode's dispatch, shard tasks and slot closing, run in the test's process: the
real code paths between them without a broker, for tests about what a slot decides."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from menhir import distributed
from menhir.polling import CycleSummary
from poller.models import PollSlot


def run_slot(now: datetime, lose: Collection[str] = ()) -> PollSlot:
    """Dispatch the slot of `now` and run its shards at once, except those in `lose` (left
    queued, as if their worker died)."""

    def send(slot_iso: str, shard: str, queue: str) -> None:
        if shard not in lose:
            assert distributed.run_shard(slot_iso, shard) == "done"

    slot_start = distributed.dispatch(send, now).slot_start
    return PollSlot.objects.get(slot_start=slot_start)


def summary_of(slot: PollSlot) -> CycleSummary:
    """The slot's summary as its report recorded it."""
    fields = CycleSummary.__annotations__
    return CycleSummary(**{k: v for k, v in slot.report["summary"].items() if k in fields})
