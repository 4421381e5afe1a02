"""Poll intervals per device role: parsing the setting, refusing what cannot work, and which
cycles poll which roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from poller.schedule import PollSchedule, ScheduleError

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a multiple of 300 s since the epoch


def test_blank_setting_polls_every_role_each_cycle() -> None:
    schedule = PollSchedule.parse(60, "  ")
    assert schedule.uniform
    assert schedule.interval("cpe") == 60
    assert schedule.idle_roles(T0 + timedelta(minutes=1)) == []
    assert schedule.describe() == "every 60 s"


def test_roles_polled_less_often_fall_on_cycles_aligned_on_their_interval() -> None:
    schedule = PollSchedule.parse(60, "cpe=300, switch=120")
    assert not schedule.uniform
    assert (schedule.interval("cpe"), schedule.interval("switch")) == (300, 120)
    assert schedule.interval("pop_router") == 60
    assert schedule.longest == 300
    roles = ("cpe", "switch", "pop_router")
    due = [[r for r in roles if schedule.due(r, T0 + timedelta(minutes=m))] for m in range(6)]
    assert due == [
        ["cpe", "switch", "pop_router"],
        ["pop_router"],
        ["switch", "pop_router"],
        ["pop_router"],
        ["switch", "pop_router"],
        ["cpe", "pop_router"],
    ]
    assert schedule.idle_roles(T0 + timedelta(minutes=1)) == ["cpe", "switch"]
    at = T0 + timedelta(minutes=4)
    assert schedule.last_due("cpe", at) == int(T0.timestamp())
    assert schedule.last_due("switch", at) == int(at.timestamp())
    assert schedule.describe() == "every 60 s; cpe every 300 s, switch every 120 s"


def test_a_role_given_the_cycle_itself_is_not_slower() -> None:
    assert PollSchedule.parse(60, "cpe=60").uniform


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("router=300", "unknown role 'router'"),
        ("cpe=90", "cpe=90 is not a positive multiple of the cycle"),
        ("cpe=0", "cpe=0 is not a positive multiple"),
        ("cpe", "'cpe' is not role=seconds"),
        ("cpe=5m", "'cpe=5m' is not role=seconds"),
        ("cpe=-60", "'cpe=-60' is not role=seconds"),
        ("cpe=300,cpe=600", "cpe is given twice"),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_with_the_setting_named(
    text: str, message: str
) -> None:
    with pytest.raises(ScheduleError, match="MENHIR_POLL_INTERVALS") as caught:
        PollSchedule.parse(60, text)
    assert message in str(caught.value)


def test_a_cycle_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ScheduleError, match="MENHIR_POLL_INTERVAL must be positive"):
        PollSchedule.parse(0, "")
