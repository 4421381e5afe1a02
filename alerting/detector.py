"""The outage detector (docs/sla.md R3/R4): monitoring slots in, outages and micro-outages out.

One implementation serves both uses. `OutageDetector` is an incremental state machine fed one
*run* at a time (a run is one or more consecutive slots in the same state; live alerting feeds
runs of one slot as polls come in). `detect` is the batch form: it feeds a whole timeline of runs
to the same machine, so a run of 40,000 UP slots costs one step, not 40,000.

Times are integer seconds on any common epoch (UNIX seconds in Menhir). Rules implemented:
- an outage starts at the first slot of a run of at least `n_down` consecutive DOWN slots
  (backdated to that slot) and ends at the first slot of a run of at least `n_up` consecutive UP
  slots; shorter UP runs between DOWN slots, and any DOWN run inside, belong to the outage;
- a DOWN run shorter than `n_down` outside any outage is a micro-outage (counted, not downtime);
- UNKNOWN is neither UP nor DOWN: it closes an open outage at the end of its last DOWN slot, and
  breaks a DOWN streak (a DOWN run after it needs `n_down` slots again);
- the end of the input (docs/sla.md, "The end of the input"): an outage is open only when the
  timeline ends in its DOWN slots (it then runs on to a caller-given end, flagged `open`); when it
  ends inside a run of UP slots shorter than `n_up` after the outage, the outage ends at the first
  slot of that run, flagged `unconfirmed` (recovery presumed, not yet confirmed by `n_up` slots).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class SlotState(enum.Enum):
    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DetectorParams:
    """Poll interval and hysteresis, in slots (contract data, never constants)."""

    slot_seconds: int = 60
    n_down: int = 5
    n_up: int = 10

    def __post_init__(self) -> None:
        if self.slot_seconds <= 0 or self.n_down < 1 or self.n_up < 1:
            raise ValueError("slot_seconds, n_down and n_up must be positive")


@dataclass(frozen=True)
class Run:
    """Consecutive slots in one state over `[start, end)`; they count `(end - start) // slot`."""

    start: int
    end: int
    state: SlotState


@dataclass(frozen=True)
class Outage:
    """`open`: the input ended in its DOWN slots; `unconfirmed`: it ended in the short UP run
    that followed it (the end is the first slot of that run). At most one of the two is set."""

    start: int
    end: int
    open: bool = False
    unconfirmed: bool = False


@dataclass(frozen=True)
class MicroOutageEvent:
    start: int
    end: int


Event = Outage | MicroOutageEvent


@dataclass(frozen=True)
class Opened:
    """Emitted by the incremental detector when an outage is confirmed (start is backdated)."""

    start: int


@dataclass(frozen=True)
class DetectorState:
    """Everything the incremental detector remembers, so live alerting can persist it between
    polls (and restarts) and resume exactly where it stopped."""

    cursor: int | None = None
    open_start: int | None = None
    last_down_end: int = 0
    streak_start: int | None = None
    streak_end: int = 0
    streak_slots: int = 0
    up_slots: int = 0


class OutageDetector:
    """Incremental R3/R4 state machine; `feed` runs in time order, contiguous, and read events.

    `feed` returns what became final with that run: `Opened` when an outage is confirmed,
    `Outage` when one closes, `MicroOutageEvent` when a short DOWN run is over. `finish(end)` ends
    the input: an open outage is returned with `open=True` and the given end.
    """

    def __init__(self, params: DetectorParams, state: DetectorState | None = None) -> None:
        self.params = params
        state = state or DetectorState()
        self._cursor = state.cursor  # end of the last fed run
        self._open_start = state.open_start  # start of the open outage
        self._last_down_end = state.last_down_end  # end of the open outage's last DOWN slot
        self._streak_start = state.streak_start  # DOWN streak outside an outage
        self._streak_end = state.streak_end
        self._streak_slots = state.streak_slots
        self._up_slots = state.up_slots  # UP slots since the open outage's last DOWN slot

    @property
    def state(self) -> DetectorState:
        return DetectorState(
            self._cursor,
            self._open_start,
            self._last_down_end,
            self._streak_start,
            self._streak_end,
            self._streak_slots,
            self._up_slots,
        )

    @property
    def open_outage_start(self) -> int | None:
        return self._open_start

    def feed(self, run: Run) -> list[Event | Opened]:
        if run.end < run.start:
            raise ValueError("a run ends before it starts")
        if self._cursor is not None and run.start != self._cursor:
            raise ValueError(
                f"runs must be contiguous: expected a run starting at {self._cursor}, "
                f"got {run.start} (feed missing slots as UNKNOWN)"
            )
        self._cursor = run.end
        slots = (run.end - run.start) // self.params.slot_seconds
        if slots == 0:
            return []
        if self._open_start is None:
            return self._feed_idle(run, slots)
        return self._feed_open(run, slots)

    def _feed_idle(self, run: Run, slots: int) -> list[Event | Opened]:
        if run.state is not SlotState.DOWN:
            return self._flush_streak()
        if self._streak_start is None:
            self._streak_start = run.start
        self._streak_end = run.end
        self._streak_slots += slots
        if self._streak_slots < self.params.n_down:
            return []
        self._open_start = self._streak_start
        self._last_down_end = run.end
        self._up_slots = 0
        self._streak_start, self._streak_slots = None, 0
        return [Opened(self._open_start)]

    def _feed_open(self, run: Run, slots: int) -> list[Event | Opened]:
        assert self._open_start is not None
        if run.state is SlotState.DOWN:
            self._last_down_end = run.end
            self._up_slots = 0
            return []
        if run.state is SlotState.UNKNOWN:
            return [self._close(self._last_down_end)]
        self._up_slots += slots
        if self._up_slots >= self.params.n_up:
            return [self._close(self._last_down_end)]
        return []

    def _close(self, end: int) -> Outage:
        assert self._open_start is not None
        outage = Outage(self._open_start, end)
        self._open_start = None
        self._up_slots = 0
        return outage

    def _flush_streak(self) -> list[Event | Opened]:
        if self._streak_start is None:
            return []
        micro = MicroOutageEvent(self._streak_start, self._streak_end)
        self._streak_start, self._streak_slots = None, 0
        return [micro]

    def finish(self, open_end: int) -> list[Event]:
        """End of input (batch use): a pending short DOWN run is a micro-outage. An outage whose
        last fed slots were DOWN runs to `max(open_end, end of its last DOWN slot)`, flagged
        open; one followed by fewer than `n_up` UP slots ends at the first of them, flagged
        unconfirmed. Live alerting does not finish: it keeps `state` and feeds on."""
        events: list[Event] = [e for e in self._flush_streak() if isinstance(e, MicroOutageEvent)]
        if self._open_start is not None:
            if self._up_slots:
                events.append(Outage(self._open_start, self._last_down_end, unconfirmed=True))
            else:
                end = max(open_end, self._last_down_end)
                events.append(Outage(self._open_start, end, open=True))
            self._open_start = None
            self._up_slots = 0
        return events


@dataclass(frozen=True)
class Detection:
    outages: list[Outage]
    micro_outages: list[MicroOutageEvent]


def detect(runs: Iterable[Run], params: DetectorParams, open_end: int) -> Detection:
    """Batch detection over a contiguous timeline of runs (time order); see `OutageDetector`."""
    machine = OutageDetector(params)
    events: list[Event | Opened] = []
    for run in runs:
        events.extend(machine.feed(run))
    events.extend(machine.finish(open_end))
    return Detection(
        outages=[e for e in events if isinstance(e, Outage)],
        micro_outages=[e for e in events if isinstance(e, MicroOutageEvent)],
    )


def runs_with_up_gaps(
    marked: Iterable[tuple[int, int, SlotState]], start: int, end: int
) -> list[Run]:
    """A contiguous timeline from sorted, disjoint (start, end, state) runs, the gaps being UP.

    Used where only DOWN and UNKNOWN runs are recorded (the SLA evaluation file).
    """
    timeline: list[Run] = []
    cursor = start
    for run_start, run_end, state in marked:
        if run_start > cursor:
            timeline.append(Run(cursor, run_start, SlotState.UP))
        timeline.append(Run(run_start, run_end, state))
        cursor = run_end
    if end > cursor:
        timeline.append(Run(cursor, end, SlotState.UP))
    return timeline
