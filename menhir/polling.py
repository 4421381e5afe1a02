"""The main job: poll the whole inventory, store the samples, detect and page — one cycle at a
time, in-process (`menhir poll`), or as Celery tasks that call the same function.

Each cycle is one monitoring slot: `[slot_start, slot_start + interval)`, aligned on the interval,
so consecutive cycles form contiguous slots for the outage detector. Its steps, in order: poll
and store (`poll`), detect, correlate and page (`close_slot`), keep the store (`maintain`), record
the cycle (`record_cycle`); in the embedded mode, once a day, the SLA collection
(menhir.sla_collection), which the distributed mode runs from beat.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from alerting.detector import DetectorParams
from alerting.live import ConditionRules, DownSet, LiveContext, detect_conditions, detect_slot
from inventory.models import Device
from menhir.sla_collection import OncePerDay
from metrics import maintenance
from metrics.cycles import CycleStats, count_timeouts, record_cycle
from metrics.cycles import prune as prune_cycles
from metrics.queries import samples_between
from metrics.types import DeviceSample, InterfaceSample, LinkProbe, StatusEvent
from metrics.writer import WriteResult
from poller.runner import poll_many
from poller.schedule import PollSchedule
from poller.state import PollState
from poller.targets import allow_non_loopback, load_targets
from poller.types import Outcome, Target
from prober.runner import probe_slot
from prober.service import options_from_settings
from prober.types import ProbeTarget

WriteHook = Callable[[psycopg.Cursor[Any]], None]

log = logging.getLogger(__name__)


@dataclass
class CycleSummary:
    devices: int = 0
    devices_unreachable: int = 0
    interfaces: int = 0
    samples_written: int = 0
    errors: int = 0
    timeouts: int = 0
    duration_s: float = 0.0
    spooled: bool = False
    skipped: int = 0
    idle_roles: list[str] = field(default_factory=list)
    held_down: int = 0  # devices of the idle roles whose last poll found them unreachable
    incidents_opened: int = 0
    incidents_closed: int = 0
    pages_sent: int = 0
    collector_isolated: bool = False
    slot_start: str = ""
    error_samples: list[str] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        """The `menhir poll --once --json` object: the documented keys first."""
        data = asdict(self)
        data["duration_s"] = round(self.duration_s, 3)
        return data


class PolledShard(NamedTuple):
    """What polling some targets gave: the counts, what was down, the interface samples."""

    summary: CycleSummary
    down: DownSet
    samples: list[InterfaceSample]


def slot_bounds(now: datetime, interval_s: int) -> tuple[datetime, datetime]:
    epoch = int(now.timestamp())
    start = epoch - epoch % interval_s
    return datetime.fromtimestamp(start, tz=UTC), datetime.fromtimestamp(start + interval_s, tz=UTC)


class SampleWriter(Protocol):
    """Where a cycle's samples go (metrics.writer.MetricsWriter: COPY, or the spool)."""

    def write(
        self,
        interfaces: Iterable[InterfaceSample] = (),
        devices: Iterable[DeviceSample] = (),
        events: Iterable[StatusEvent] = (),
        probes: Iterable[LinkProbe] = (),
        *,
        also: WriteHook | None = None,
    ) -> WriteResult: ...

    def pending_batches(self) -> int: ...

    def close(self) -> None: ...


class DailyStep(Protocol):
    """A step run after the embedded mode's cycles that decides itself whether it is due
    (menhir.sla_collection.OncePerDay)."""

    def __call__(self, now: datetime) -> bool: ...


class PollService:
    """Keeps what cycles share: the poller's counters, the writer and its spool, the topology."""

    def __init__(
        self,
        interval_s: int | None = None,
        *,
        detect: bool = True,
        devices: QuerySet[Device] | None = None,
        writer: SampleWriter | None = None,
        daily: DailyStep | None = None,
    ) -> None:
        """`devices`: the devices to poll (default: every active device), e.g. one shard of the
        network; `writer`: default the settings' store; `daily`: what `run_once` runs after
        each cycle (default: the SLA collection, once a day)."""
        self.schedule = PollSchedule.from_settings(interval_s)
        self.interval_s = self.schedule.cycle
        self.params = DetectorParams(
            slot_seconds=self.interval_s,
            n_down=settings.MENHIR_DETECT_N_DOWN,
            n_up=settings.MENHIR_DETECT_N_UP,
        )
        self.state = PollState()
        self.writer: SampleWriter = writer or maintenance.writer_from_settings()
        self.detect = detect
        self.devices = devices
        self.daily: DailyStep = daily or OncePerDay()
        self._context: LiveContext | None = None
        self._seen: dict[int, DownSet] = {}  # recent cycles' down sets, for the idle roles

    def context(self) -> LiveContext:
        """The topology and what detection keeps between cycles, loaded at the first use."""
        if self._context is None:
            self._context = LiveContext.load(settings.MENHIR_CANARIES, self.schedule)
        return self._context

    def due_devices(self, slot_start: datetime, *, everything: bool = False) -> QuerySet[Device]:
        """The devices this cycle polls: those of the roles due (all of them with `everything`)."""
        devices = Device.objects.all() if self.devices is None else self.devices
        if everything or self.schedule.uniform:
            return devices
        idle = self.schedule.idle_roles(slot_start)
        return devices.exclude(role__in=idle) if idle else devices

    def run_once(self, now: datetime | None = None, *, everything: bool = False) -> CycleSummary:
        """One cycle in-process: the devices due as one shard, then the slot's detection, then
        the daily steps (the SLA collection) if they are due at `now`.

        `everything` polls every device whatever its role's interval (`menhir poll --once`);
        the detection still counts each element's polls on its own grid."""
        began = time.monotonic()
        now = now or datetime.now(UTC)
        slot_start, slot_end = slot_bounds(now, self.interval_s)
        load = load_targets(self.due_devices(slot_start, everything=everything))
        shard = self.poll(load.targets, self.state)
        summary = shard.summary
        summary.skipped = len(load.skipped)
        self.close_slot(
            summary, shard.down, slot_start, slot_end, samples=shard.samples, polled_all=everything
        )
        summary.duration_s = time.monotonic() - began
        self.record_cycle(summary, slot_start)
        self.daily(now)
        return summary

    def poll(
        self,
        targets: list[Target],
        state: PollState,
        *,
        also: Callable[[PollState, list[Outcome]], WriteHook] | None = None,
        probes: Sequence[ProbeTarget] = (),
        slot: datetime | None = None,
    ) -> PolledShard:
        """Poll some targets and store what they gave: one shard of a cycle (or all of it).

        `also(state, outcomes)` returns a hook the writer runs in the samples' transaction.
        `probes`, the access links to probe in the same slot `slot` (a distributed shard's, with
        MENHIR_PROBE_IN_SHARDS), are probed while the SNMP requests are out and stored with the
        samples, so the slot's detection reads this slot's probes."""
        outcomes, probed = asyncio.run(self._poll_and_probe(targets, state, probes, slot))
        devices = [o.device for o in outcomes]
        interfaces = [s for o in outcomes for s in o.interfaces]
        events = [e for o in outcomes for e in o.events]
        hook = also(state, outcomes) if also is not None else None
        result = self.writer.write(interfaces, devices, events, probed, also=hook)
        summary = CycleSummary(
            devices=len(outcomes),
            devices_unreachable=sum(1 for o in outcomes if not o.device.reachable),
            interfaces=len(interfaces),
            samples_written=result.inserted,
            errors=sum(1 for o in outcomes if not o.ok),
            timeouts=count_timeouts([o.error for o in outcomes]),
            spooled=result.spooled,
            error_samples=[f"{o.target.name}: {o.error}" for o in outcomes if o.error][:5],
        )
        return PolledShard(summary, DownSet.of(devices, interfaces), interfaces)

    @staticmethod
    async def _poll_and_probe(
        targets: list[Target],
        state: PollState,
        probes: Sequence[ProbeTarget],
        slot: datetime | None,
    ) -> tuple[list[Outcome], list[LinkProbe]]:
        polling = poll_many(
            targets,
            state,
            concurrency=settings.MENHIR_POLL_CONCURRENCY,
            allow_non_loopback=allow_non_loopback(),
        )
        if not probes:
            return await polling, []
        if slot is None:
            raise ValueError("probing needs the slot the probes belong to")
        outcomes, (probed, _) = await asyncio.gather(
            polling, probe_slot(probes, slot, options_from_settings())
        )
        return outcomes, probed

    def close_slot(
        self,
        summary: CycleSummary,
        down: DownSet,
        slot_start: datetime,
        slot_end: datetime,
        *,
        samples: list[InterfaceSample] | None = None,
        recall: Callable[[int], DownSet | None] | None = None,
        polled_all: bool = False,
        lost: frozenset[int] = frozenset(),
    ) -> None:
        """After every shard of a slot: detection, correlation and paging once, then the store's
        maintenance. The same code for `menhir poll` and for the distributed mode, where the
        slot's interface samples (for saturation and error rates) are read back from the store.

        The roles not polled this cycle count as their last poll saw them: `recall(epoch)` gives
        that cycle's down set (default: what this service saw itself). The `lost` devices (a
        shard that never came back) were not observed at all: neither up nor down."""
        summary.slot_start = slot_start.isoformat()
        epoch = int(slot_start.timestamp())
        self._remember(epoch, down)
        if not polled_all:
            summary.idle_roles = self.schedule.idle_roles(slot_start)
        if self.detect:
            ctx = self.context()
            if summary.idle_roles:
                held = ctx.held(slot_start, recall or self._seen.get)
                summary.held_down = len(held.devices)
                down = down | held
            unobserved = ctx.unobserved(lost) | ctx.unknown_links(down)
            verdict, report = detect_slot(ctx, down, slot_start, slot_end, self.params, unobserved)
            if samples is None:
                samples = self._slot_samples(slot_start, slot_end)
            conditions = detect_conditions(
                ctx,
                verdict,
                samples,
                slot_start,
                slot_end,
                ConditionRules.from_settings(),
                unobserved,
            )
            summary.collector_isolated = verdict.collector_isolated
            summary.incidents_opened = len(report.opened) + len(conditions.opened)
            summary.incidents_closed = len(report.closed) + len(conditions.closed)
            summary.pages_sent = report.pages_sent + conditions.pages_sent
        self.maintain()

    def _remember(self, epoch: int, down: DownSet) -> None:
        """Keep this cycle's down set for as long as a slower role may need to recall it."""
        if self.schedule.uniform:
            return
        self._seen[epoch] = down
        for old in [t for t in self._seen if t <= epoch - self.schedule.longest]:
            del self._seen[old]

    def _slot_samples(self, slot_start: datetime, slot_end: datetime) -> list[InterfaceSample]:
        """What the shards wrote for the slot; none when the database is away (the conditions
        are then UNKNOWN, as for any link without a sample)."""
        try:
            connection.ensure_connection()
            return samples_between(connection.connection, slot_start, slot_end)
        except Exception:
            log.exception("could not read the slot's samples back; load conditions unknown")
            return []

    def record_cycle(self, summary: CycleSummary, slot_start: datetime) -> None:
        """The cycle's row for the poller-health dashboard; the database may be away."""
        stats = CycleStats(
            time=slot_start,
            interval_s=self.interval_s,
            duration_s=summary.duration_s,
            devices=summary.devices,
            unreachable=summary.devices_unreachable,
            errors=summary.errors,
            timeouts=summary.timeouts,
            samples=summary.samples_written,
            spooled=summary.spooled,
            spool_batches=self.writer.pending_batches(),
        )
        try:
            connection.ensure_connection()
            record_cycle(connection.connection, stats)
            connection.connection.commit()
        except Exception:
            log.exception("could not record the poll cycle; the next one is recorded as usual")

    def maintain(self) -> None:
        """Partitions ahead, rollups of what changed, retention: cheap when nothing is due."""
        try:
            connection.ensure_connection()
            maintenance.maintain(connection.connection, maintenance.policy_from_settings())
            prune_cycles(connection.connection, datetime.now(UTC))
            connection.connection.commit()
        except Exception:  # the database may be away: the next cycle catches up
            log.exception("metrics maintenance failed; retried next cycle")

    def run_forever(self, stop_after: int | None = None) -> None:
        """Cycles every interval; an overrun is reported and the next cycle starts at once,
        never piled up."""
        done = 0
        while stop_after is None or done < stop_after:
            started = time.monotonic()
            try:
                summary = self.run_once()
                log.info("poll cycle: %s", summary.public())
                if summary.duration_s > self.interval_s:
                    overrun = "poll cycle overran: %.1f s for a %d s interval"
                    log.warning(overrun, summary.duration_s, self.interval_s)
            except Exception:
                log.exception("poll cycle failed")
            done += 1
            delay = self.interval_s - (time.monotonic() - started)
            if delay > 0 and (stop_after is None or done < stop_after):
                time.sleep(delay)

    def close(self) -> None:
        self.writer.close()
