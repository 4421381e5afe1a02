"""The one time module (issue 14 §1): seconds ⇄ aware datetimes, and a contract month's bounds
across the clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from common.times import from_seconds, month_bounds, month_seconds, to_seconds

PARIS = ZoneInfo("Europe/Paris")


def test_seconds_round_trip_and_offsets_count() -> None:
    moment = datetime(2025, 4, 1, 2, 0, tzinfo=timezone(timedelta(hours=2)))
    assert to_seconds(moment) == 1_743_465_600
    assert from_seconds(1_743_465_600) == datetime(2025, 4, 1, tzinfo=UTC)
    assert from_seconds(1_743_465_600).tzinfo is UTC


def test_naive_times_are_refused_and_fractions_dropped_unless_exact() -> None:
    with pytest.raises(ValueError, match="offset"):
        to_seconds(datetime(2025, 4, 1))  # noqa: DTZ001 - the point of the test
    fraction = datetime(2025, 4, 1, 0, 0, 0, 900_000, tzinfo=UTC)
    assert to_seconds(fraction) == 1_743_465_600
    with pytest.raises(ValueError, match="fractional"):
        to_seconds(fraction, exact=True)


@pytest.mark.parametrize(
    ("year", "month", "start", "end", "hours"),
    [
        (
            2025,
            3,
            datetime(2025, 2, 28, 23, tzinfo=UTC),
            datetime(2025, 3, 31, 22, tzinfo=UTC),
            743,
        ),
        (
            2025,
            10,
            datetime(2025, 9, 30, 22, tzinfo=UTC),
            datetime(2025, 10, 31, 23, tzinfo=UTC),
            745,
        ),
        (
            2025,
            12,
            datetime(2025, 11, 30, 23, tzinfo=UTC),
            datetime(2025, 12, 31, 23, tzinfo=UTC),
            744,
        ),
    ],
)
def test_a_paris_month_runs_from_local_midnight_to_local_midnight(
    year: int, month: int, start: datetime, end: datetime, hours: int
) -> None:
    assert month_bounds(year, month, PARIS) == (start, end)
    lo, hi = month_seconds(year, month, PARIS)
    assert (lo, hi) == (to_seconds(start), to_seconds(end))
    assert (hi - lo) // 3600 == hours  # the spring month is an hour short, the autumn one long


def test_a_month_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"1\.\.12"):
        month_bounds(2025, 13, PARIS)
