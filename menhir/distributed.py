"""Distributed polling: each slot split into shard tasks that any worker may run, closed once.

- `dispatch` (beat's task, on the control queue) records the slot and one `ShardRun` per shard,
  then sends the shard tasks. A shard whose previous slot is still queued or running is not sent
  again: it is recorded as `skipped_overrun` and logged — an overrun is reported, never piled up.
- `run_shard` (on the shard's queue) takes the shard's advisory lock (so a device is never polled
  by two tasks at once, whatever the broker redelivers), polls, and writes the samples, the
  counter state and the `done` mark in one transaction: a task redelivered after that commit
  finds `done` and adds nothing; one redelivered before it polls again from the same state.
- `close_slot` runs the slot's detection once (under the slot's lock) on what its shards saw,
  through the same `PollService.close_slot` as `menhir poll`. The last shard to finish calls
  it; a slot whose shards are not all back by its deadline is closed by a later dispatch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from psycopg.types.json import Jsonb

from alerting.live import DownSet
from inventory.models import Device
from menhir.polling import CycleSummary, PollService, slot_bounds
from poller.models import PollSlot, ShardRun, ShardState
from poller.persistence import load_state, save_state, save_state_orm
from poller.shards import plan_shards
from poller.state import PollState
from poller.targets import load_targets
from poller.types import Outcome
from prober.targets import load_targets as load_probe_targets

log = logging.getLogger(__name__)

LOCK_SHARD = 0x4D48  # advisory lock namespaces: (namespace, hashtext(key))
LOCK_SLOT = 0x4D49
TERMINAL = (ShardState.DONE, ShardState.SKIPPED_OVERRUN, ShardState.FAILED)
BUSY = (ShardState.QUEUED, ShardState.RUNNING)

Send = Callable[[str, str, str], None]  # (slot_start ISO, shard key, queue)

FINISH_RUN = """
UPDATE poller_shard_run SET state = 'done', finished_at = now(), duration_s = %s,
    devices = %s, devices_unreachable = %s, interfaces = %s, errors = %s,
    down_devices = %s, down_interfaces = %s, unknown_interfaces = %s
WHERE id = %s
"""


@dataclass
class Dispatched:
    """What one dispatch did, for its log line and the tests."""

    slot_start: datetime
    created: bool
    sent: list[str] = field(default_factory=list)
    overrun: list[str] = field(default_factory=list)
    closed_late: list[str] = field(default_factory=list)


_service: PollService | None = None


def service() -> PollService:
    """One PollService per worker process (its writer, spool and topology), made on first use."""
    global _service
    if _service is None:
        _service = PollService()
    return _service


@contextmanager
def advisory_lock(namespace: int, key: str) -> Iterator[bool]:
    """Try a session advisory lock; yields whether it was taken. A killed worker's connection
    closes, which releases it."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [namespace, key])
        got = bool(cur.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [namespace, key])


def dispatch(send: Send, now: datetime | None = None) -> Dispatched:
    """Open the slot `now` falls in, and send its shards (again, if this is a redelivery: the
    shard tasks are idempotent)."""
    now = now or timezone.now()
    schedule = service().schedule
    slot_start, slot_end = slot_bounds(now, schedule.cycle)
    closed_late = close_overdue(now)
    plan = plan_shards(schedule.idle_roles(slot_start))
    created = False
    overrun: list[str] = []
    try:
        with transaction.atomic():
            slot, created = PollSlot.objects.get_or_create(
                slot_start=slot_start,
                defaults={
                    "slot_end": slot_end,
                    "dispatched_at": timezone.now(),
                    "shards": [s.key for s in plan],
                },
            )
            if created:
                busy = _busy_shards(slot_start)
                poll_queue = settings.MENHIR_POLL_QUEUE
                by_region = settings.MENHIR_POLL_QUEUE_BY_REGION
                runs = []
                for shard in plan:
                    late = shard.key in busy
                    if late:
                        overrun.append(shard.key)
                    runs.append(
                        ShardRun(
                            slot=slot,
                            shard=shard.key,
                            queue=shard.queue(poll_queue, by_region),
                            device_ids=list(shard.device_ids),
                            state=ShardState.SKIPPED_OVERRUN if late else ShardState.QUEUED,
                            detail=f"previous slot still {busy[shard.key]}" if late else "",
                        )
                    )
                ShardRun.objects.bulk_create(runs)
    except IntegrityError:  # another dispatcher opened it meanwhile
        slot = PollSlot.objects.get(slot_start=slot_start)
    for key in overrun:
        log.warning(
            "poll shard %s overran: slot %s skipped, its previous slot is still %s",
            key,
            slot_start.isoformat(),
            "running or queued",
        )
    result = Dispatched(slot_start, created, overrun=overrun, closed_late=closed_late)
    for run in slot.runs.filter(state=ShardState.QUEUED).order_by("shard"):
        send(slot_start.isoformat(), run.shard, run.queue)
        result.sent.append(run.shard)
    log.info(
        "slot %s dispatched: %d shards sent, %d skipped (overrun)",
        slot_start.isoformat(),
        len(result.sent),
        len(overrun),
    )
    return result


def _busy_shards(slot_start: datetime) -> dict[str, str]:
    """Shards with an earlier slot still queued or running, within the window in which the
    broker could still deliver or redeliver it; older ones are considered lost."""
    window = timedelta(
        seconds=settings.MENHIR_BROKER_VISIBILITY_TIMEOUT + settings.MENHIR_POLL_INTERVAL
    )
    rows = ShardRun.objects.filter(
        state__in=BUSY,
        slot__slot_start__lt=slot_start,
        slot__slot_start__gte=slot_start - window,
    ).values_list("shard", "state")
    return dict(rows)


def run_shard(slot_iso: str, shard: str, worker: str = "") -> str:
    """Poll one shard for one slot; returns what happened (done, busy, already-done…)."""
    slot_start = datetime.fromisoformat(slot_iso)
    run = (
        ShardRun.objects.select_related("slot")
        .filter(slot__slot_start=slot_start, shard=shard)
        .first()
    )
    if run is None:
        log.error("no shard %s recorded for slot %s: task dropped", shard, slot_iso)
        return "unknown"
    if run.state in TERMINAL:
        _close_if_complete(run.slot)
        return f"already-{run.state}"
    with advisory_lock(LOCK_SHARD, shard) as got:
        if not got:
            log.warning(
                "shard %s is being polled by another task: slot %s not polled twice",
                shard,
                slot_iso,
            )
            return "busy"
        run.refresh_from_db()
        if run.state in TERMINAL:  # finished by another delivery while we waited
            return f"already-{run.state}"
        _poll(run, worker)
    _close_if_complete(run.slot)
    return "done"


def _poll(run: ShardRun, worker: str) -> None:
    began = time.monotonic()
    ShardRun.objects.filter(pk=run.pk).update(
        state=ShardState.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker,
        started_at=timezone.now(),
    )
    ids = list(run.device_ids)
    try:
        targets = load_targets(Device.objects.filter(pk__in=ids)).targets
        state = load_state(ids)

        def finish(state: PollState, outcomes: list[Outcome]) -> Callable[[Any], None]:
            def hook(cur: psycopg.Cursor[Any]) -> None:
                save_state(cur, state, ids)
                cur.execute(FINISH_RUN, _finish_params(run.pk, outcomes, began))

            return hook

        probes = load_probe_targets(ids).targets if settings.MENHIR_PROBE_IN_SHARDS else []
        polled = service().poll(
            targets, state, also=finish, probes=probes, slot=run.slot.slot_start
        )
        summary = polled.summary
        if summary.spooled:  # the database went away mid-task: record through the ORM later
            save_state_orm(state, ids)
        ShardRun.objects.filter(pk=run.pk).update(
            state=ShardState.DONE,
            samples_written=summary.samples_written,
            spooled=summary.spooled,
            finished_at=timezone.now(),
            duration_s=time.monotonic() - began,
            detail="; ".join(summary.error_samples),
        )
    except Exception as exc:
        ShardRun.objects.filter(pk=run.pk).exclude(state=ShardState.DONE).update(
            state=ShardState.FAILED,
            finished_at=timezone.now(),
            duration_s=time.monotonic() - began,
            detail=f"{type(exc).__name__}: {exc}",
        )
        log.exception("poll shard %s failed", run.shard)
        return
    duration = time.monotonic() - began
    if duration > settings.MENHIR_POLL_INTERVAL:
        log.warning(
            "poll shard %s overran: %.1f s for a %d s interval",
            run.shard,
            duration,
            settings.MENHIR_POLL_INTERVAL,
        )


def _finish_params(run_id: int, outcomes: list[Outcome], began: float) -> list[Any]:
    devices = [o.device for o in outcomes]
    interfaces = [s for o in outcomes for s in o.interfaces]
    down = DownSet.of(devices, interfaces)
    return [
        time.monotonic() - began,
        len(outcomes),
        sum(1 for d in devices if not d.reachable),
        len(interfaces),
        sum(1 for o in outcomes if not o.ok),
        Jsonb(sorted(down.devices)),
        Jsonb(sorted(down.interfaces)),
        Jsonb(sorted(down.unknown)),
        run_id,
    ]


def _close_if_complete(slot: PollSlot) -> None:
    if slot.closed_at is None and not slot.runs.exclude(state__in=TERMINAL).exists():
        close_slot(slot.slot_start)


def close_overdue(now: datetime) -> list[str]:
    """Close the slots past their deadline whose shards are not all back."""
    deadline = now - timedelta(seconds=settings.MENHIR_SLOT_DEADLINE)
    closed = []
    for slot_start in PollSlot.objects.filter(
        closed_at__isnull=True, slot_end__lte=deadline
    ).values_list("slot_start", flat=True):
        if close_slot(slot_start):
            closed.append(slot_start.isoformat())
    return closed


def recall_down(epoch: int) -> DownSet | None:
    """What an earlier slot's shards saw down (None if it was not polled), for the roles that
    this slot does not poll."""
    start = datetime.fromtimestamp(epoch, tz=UTC)
    runs = ShardRun.objects.filter(slot__slot_start=start, state=ShardState.DONE)
    rows = list(runs.values_list("down_devices", "down_interfaces", "unknown_interfaces"))
    if not rows:
        return None
    down = DownSet()
    for devices, interfaces, unknown in rows:
        down |= DownSet(frozenset(devices), frozenset(interfaces), frozenset(unknown))
    return down


def close_slot(slot_start: datetime) -> bool:
    """Detection, correlation and paging once for the slot; False if another task has it or
    it was closed already."""
    with advisory_lock(LOCK_SLOT, slot_start.isoformat()) as got:
        if not got:
            return False
        slot = PollSlot.objects.get(slot_start=slot_start)
        if slot.closed_at is not None:
            return False
        runs = list(slot.runs.all())
        summary = CycleSummary(slot_start=slot_start.isoformat())
        down = DownSet()
        for run in runs:
            if run.state != ShardState.DONE:
                continue
            summary.devices += run.devices
            summary.devices_unreachable += run.devices_unreachable
            summary.interfaces += run.interfaces
            summary.samples_written += run.samples_written
            summary.errors += run.errors
            summary.spooled |= run.spooled
            summary.duration_s = max(summary.duration_s, run.duration_s or 0.0)
            down |= DownSet(
                frozenset(run.down_devices),
                frozenset(run.down_interfaces),
                frozenset(run.unknown_interfaces),
            )
        report: dict[str, Any] = {
            "missing": sorted(r.shard for r in runs if r.state in BUSY),
            "failed": sorted(r.shard for r in runs if r.state == ShardState.FAILED),
            "overrun": sorted(r.shard for r in runs if r.state == ShardState.SKIPPED_OVERRUN),
        }
        if PollSlot.objects.filter(slot_start__gt=slot_start, closed_at__isnull=False).exists():
            report["detection"] = "skipped: a later slot was closed first"
        else:
            lost = frozenset(pk for r in runs if r.state != ShardState.DONE for pk in r.device_ids)
            service().close_slot(
                summary, down, slot_start, slot.slot_end, recall=recall_down, lost=lost
            )
            report["detection"] = "done"
        service().record_cycle(summary, slot_start)
        report["summary"] = summary.public()
        slot.closed_at = timezone.now()
        slot.report = report
        slot.save(update_fields=["closed_at", "report"])
    if report["missing"] or report["failed"]:
        log.warning(
            "slot %s closed without shards %s",
            slot_start.isoformat(),
            report["missing"] + report["failed"],
        )
    log.info("slot %s closed: %s", slot_start.isoformat(), report["summary"])
    return True
