"""The interval-set algebra against a point-set model, and its laws."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.times import to_seconds
from sla.calc.intervals import IntervalSet, union_all

pairs = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)
sets = pairs.map(IntervalSet)
UNIVERSE = IntervalSet.span(0, 60)


def points(s: IntervalSet) -> set[int]:
    return {t for a, b in s for t in range(a, b)}


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(pairs)
def test_normalised_intervals_are_sorted_disjoint_and_not_touching(
    raw: list[tuple[int, int]],
) -> None:
    s = IntervalSet(raw)
    for (a, b), (c, d) in zip(s.pairs, s.pairs[1:], strict=False):
        assert a < b < c < d
    assert points(s) == {t for a, b in raw for t in range(a, b)}


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(sets, sets)
def test_operations_match_the_point_set_model(a: IntervalSet, b: IntervalSet) -> None:
    assert points(a | b) == points(a) | points(b)
    assert points(a & b) == points(a) & points(b)
    assert points(a - b) == points(a) - points(b)


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(sets, sets, sets)
def test_union_and_intersection_laws(a: IntervalSet, b: IntervalSet, c: IntervalSet) -> None:
    assert a | b == b | a
    assert a & b == b & a
    assert (a | b) | c == a | (b | c)
    assert (a & b) & c == a & (b & c)
    assert a & (b | c) == (a & b) | (a & c)
    assert a | (b & c) == (a | b) & (a | c)
    assert a - (b | c) == (a - b) & (a - c)  # De Morgan, relative to a
    assert a - (b & c) == (a - b) | (a - c)
    assert a | a == a
    assert a & a == a
    assert not (a - a)


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(sets, sets)
def test_measure_is_additive(a: IntervalSet, b: IntervalSet) -> None:
    assert (a | b).measure + (a & b).measure == a.measure + b.measure
    assert (a - b).measure + (a & b).measure == a.measure
    assert (UNIVERSE - a).measure == UNIVERSE.measure - (a & UNIVERSE).measure


@settings(deadline=None)  # timing is never a pass/fail criterion
@given(st.lists(sets, max_size=5))
def test_union_all_is_the_fold_of_unions(many: list[IntervalSet]) -> None:
    folded = IntervalSet()
    for s in many:
        folded = folded | s
    assert union_all(many) == folded


def test_containing_or_after_finds_the_interval_at_or_after_an_instant() -> None:
    s = IntervalSet([(10, 20), (30, 40)])
    assert s.containing_or_after(15) == (10, 20)
    assert s.containing_or_after(20) == (30, 40)
    assert s.containing_or_after(40) is None


def test_to_seconds_takes_the_offset_into_account_and_refuses_naive_times() -> None:
    paris_summer = timezone(timedelta(hours=2))
    assert to_seconds(datetime(2025, 4, 1, 2, 0, tzinfo=paris_summer)) == to_seconds(
        datetime(2025, 4, 1, 0, 0, tzinfo=UTC)
    )
    with pytest.raises(ValueError, match="offset"):
        to_seconds(datetime(2025, 4, 1))  # noqa: DTZ001 - the point of the test
