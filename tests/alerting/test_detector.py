"""The R3/R4 outage detector: rules, the docs/sla.md example, and batch = incremental."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerting.detector import (
    DetectorParams,
    DetectorState,
    MicroOutageEvent,
    Opened,
    Outage,
    OutageDetector,
    Run,
    SlotState,
    detect,
)

UP, DOWN, UNK = SlotState.UP, SlotState.DOWN, SlotState.UNKNOWN
PARAMS = DetectorParams(slot_seconds=60, n_down=5, n_up=10)


def timeline(*spec: tuple[SlotState, int], start: int = 0) -> list[Run]:
    """Runs from (state, minutes) pairs, 60 s slots, contiguous from `start`."""
    runs, cursor = [], start
    for state, minutes in spec:
        runs.append(Run(cursor, cursor + minutes * 60, state))
        cursor += minutes * 60
    return runs


def minutes(*pairs: tuple[int, int]) -> list[tuple[int, int]]:
    return [(a * 60, b * 60) for a, b in pairs]


def spans(events: list[Outage]) -> list[tuple[int, int]]:
    return [(o.start, o.end) for o in events]


def test_sla_md_example_unknown_closes_and_a_new_run_needs_n_down_again() -> None:
    # DOWN 10:00–10:30, UNKNOWN 10:30–10:40, UP 10:40–10:45, DOWN 10:45–11:00, UP after
    # (minute 0 = 10:00)
    runs = timeline((DOWN, 30), (UNK, 10), (UP, 5), (DOWN, 15), (UP, 60))
    found = detect(runs, PARAMS, open_end=runs[-1].end)
    assert spans(found.outages) == minutes((0, 30), (45, 60))
    assert sum(o.end - o.start for o in found.outages) == 2700


def test_short_up_runs_between_down_slots_are_absorbed() -> None:
    runs = timeline((DOWN, 6), (UP, 4), (DOWN, 2), (UP, 9), (DOWN, 9), (UP, 10))
    found = detect(runs, PARAMS, open_end=runs[-1].end)
    assert spans(found.outages) == minutes((0, 30))
    assert found.micro_outages == []


def test_exactly_n_up_up_slots_close_the_outage_at_their_first_slot() -> None:
    runs = timeline((DOWN, 5), (UP, 10), (DOWN, 5), (UP, 10))
    found = detect(runs, PARAMS, open_end=runs[-1].end)
    assert spans(found.outages) == minutes((0, 5), (15, 20))


def test_down_run_shorter_than_n_down_is_a_micro_outage_not_an_outage() -> None:
    runs = timeline((UP, 3), (DOWN, 4), (UP, 20), (DOWN, 1), (UP, 5))
    found = detect(runs, PARAMS, open_end=runs[-1].end)
    assert found.outages == []
    assert found.micro_outages == [MicroOutageEvent(180, 420), MicroOutageEvent(1620, 1680)]


def test_unknown_breaks_a_down_streak() -> None:
    runs = timeline((DOWN, 3), (UNK, 1), (DOWN, 3), (UP, 10))
    found = detect(runs, PARAMS, open_end=runs[-1].end)
    assert found.outages == []
    assert len(found.micro_outages) == 2


def test_outage_the_input_ends_in_runs_to_open_end_and_is_flagged_open() -> None:
    """The timeline ends in the outage's DOWN slots: it is still open (docs/sla.md R3/R4)."""
    runs = timeline((UP, 10), (DOWN, 20))
    found = detect(runs, PARAMS, open_end=10_000)
    assert found.outages == [Outage(600, 10_000, open=True)]


def test_input_ending_in_a_short_up_run_ends_the_outage_unconfirmed() -> None:
    """3 UP slots (< n_up) end the input after 20 DOWN slots: the outage ends at the first of
    them (600 + 20 × 60 = 1,800), flagged unconfirmed, whatever the caller's open end."""
    runs = timeline((UP, 10), (DOWN, 20), (UP, 3))
    found = detect(runs, PARAMS, open_end=10_000)
    assert found.outages == [Outage(600, 1800, unconfirmed=True)]


def test_incremental_detector_backdates_the_start_when_the_nth_down_slot_arrives() -> None:
    machine = OutageDetector(PARAMS)
    events = [machine.feed(run) for run in timeline(*[(DOWN, 1)] * 5)]
    assert events[:4] == [[], [], [], []]
    assert events[4] == [Opened(0)]
    assert machine.open_outage_start == 0


def test_incremental_detector_refuses_a_gap_between_runs() -> None:
    machine = OutageDetector(PARAMS)
    machine.feed(Run(0, 60, UP))
    with pytest.raises(ValueError, match="contiguous"):
        machine.feed(Run(120, 180, DOWN))


def test_detector_params_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        DetectorParams(slot_seconds=60, n_down=0, n_up=10)


states = st.sampled_from([UP, DOWN, UNK])
specs = st.lists(st.tuples(states, st.integers(1, 15)), max_size=30)
params = st.builds(
    DetectorParams, slot_seconds=st.just(60), n_down=st.integers(1, 6), n_up=st.integers(1, 12)
)


def _slot_sets(runs: list[Run]) -> dict[SlotState, set[int]]:
    out: dict[SlotState, set[int]] = {UP: set(), DOWN: set(), UNK: set()}
    for run in runs:
        out[run.state].update(range(run.start, run.end, 60))
    return out


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(specs, params)
def test_batch_over_runs_equals_feeding_one_slot_at_a_time(
    spec: list[tuple[SlotState, int]], p: DetectorParams
) -> None:
    runs = timeline(*spec)
    end = runs[-1].end if runs else 0
    batch = detect(runs, p, open_end=end)
    machine = OutageDetector(p)
    events: list[object] = []
    for run in runs:
        for t in range(run.start, run.end, 60):
            events.extend(machine.feed(Run(t, t + 60, run.state)))
    events.extend(machine.finish(end))
    assert batch.outages == [e for e in events if isinstance(e, Outage)]
    assert batch.micro_outages == [e for e in events if isinstance(e, MicroOutageEvent)]


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(specs, params)
def test_unknown_is_never_down_and_every_down_slot_is_outage_or_micro(
    spec: list[tuple[SlotState, int]], p: DetectorParams
) -> None:
    runs = timeline(*spec)
    end = runs[-1].end if runs else 0
    found = detect(runs, p, open_end=end)
    slots = _slot_sets(runs)
    in_outage = {t for o in found.outages for t in range(o.start, o.end, 60)}
    in_micro = {t for m in found.micro_outages for t in range(m.start, m.end, 60)}
    assert not in_outage & slots[UNK]  # UNKNOWN never counted as down
    assert slots[DOWN] <= in_outage | in_micro  # every DOWN slot is accounted for
    assert not in_outage & in_micro
    # downtime never exceeds DOWN time plus the UP time absorbed between DOWN slots
    assert len(in_outage) <= len(slots[DOWN]) + len(in_outage & slots[UP])
    for o in found.outages:
        assert o.start in slots[DOWN]  # starts on a DOWN slot (backdated)
        assert o.open or o.end - 60 in slots[DOWN]  # a closed outage ends after a DOWN slot
        assert not (o.open and o.unconfirmed)
        if o.unconfirmed:  # only at the end of the input, after a short UP run
            assert o.end < end
            assert all(t in slots[UP] for t in range(o.end, end, 60))
            assert (end - o.end) // 60 < p.n_up


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(specs, params, st.integers(0, 30))
def test_detector_resumed_from_its_saved_state_gives_the_same_events(
    spec: list[tuple[SlotState, int]], p: DetectorParams, cut: int
) -> None:
    runs = timeline(*spec)
    end = runs[-1].end if runs else 0
    whole = detect(runs, p, open_end=end)
    first = OutageDetector(p)
    events: list[object] = []
    for run in runs[:cut]:
        events.extend(first.feed(run))
    saved: DetectorState = first.state
    resumed = OutageDetector(p, saved)
    for run in runs[cut:]:
        events.extend(resumed.feed(run))
    events.extend(resumed.finish(end))
    assert whole.outages == [e for e in events if isinstance(e, Outage)]
    assert whole.micro_outages == [e for e in events if isinstance(e, MicroOutageEvent)]
