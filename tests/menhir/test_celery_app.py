"""The Celery app's delivery guarantees, beat's slot-aligned schedule, and the roles' CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from menhir.celery import DailySchedule, SlotSchedule, app
from menhir.cli import app as cli
from menhir.sla_collection import COLLECT_AT, ZONE


def test_a_dead_workers_task_goes_back_to_the_broker_and_runs_once_at_a_time() -> None:
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    # Redis: a task is redelivered only once its time limit is certainly over.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    # A broker restarted while a sweep held its lock redelivers again within seconds.
    assert conf.broker_transport_options["unacked_mutex_expire"] <= 10
    assert "menhir.tasks" in conf.include
    assert conf.beat_schedule["menhir-poll-slot"]["task"] == "menhir.dispatch_slot"


def test_beat_collects_the_sla_runs_once_a_day_after_half_past_midnight_in_paris() -> None:
    from menhir import tasks

    entry = app.conf.beat_schedule["menhir-sla-collection"]
    assert entry["task"] == tasks.collect_sla_runs.name == "menhir.collect_sla_runs"
    assert (entry["schedule"].at, entry["schedule"].zone) == (COLLECT_AT, ZONE)
    clock: list[datetime] = []
    schedule = DailySchedule(COLLECT_AT, ZONE, nowfun=lambda: clock[-1])

    def paris(day: int, hour: int, minute: int, month: int = 3) -> datetime:
        return datetime(2026, month, day, hour, minute, tzinfo=ZONE)

    clock.append(paris(10, 0, 29))
    due, next_in = schedule.is_due(paris(9, 0, 31))  # ran yesterday: not yet
    assert (due, next_in) == (False, 60)
    clock.append(paris(10, 0, 31))
    assert schedule.is_due(paris(9, 0, 31)) == (True, 24 * 3600 - 60)
    assert schedule.is_due(paris(10, 0, 31)) == (False, 24 * 3600 - 60)  # ran: tomorrow
    clock.append(paris(10, 9, 0))  # beat was down at 00:30: due at its first check
    assert schedule.is_due(paris(9, 0, 31))[0]
    # The clocks go forward on 29 March at 02:00: the next 00:30 comes 23 hours later.
    clock.append(paris(29, 0, 30))
    assert schedule.is_due(paris(28, 0, 30)) == (True, 23 * 3600)
    # Beat's last run is stored in UTC: 22:31 UTC on the 9th is 23:31 in Paris, before 00:30.
    clock.append(paris(10, 0, 31))
    assert schedule.is_due(datetime(2026, 3, 9, 22, 31, tzinfo=UTC))[0]
    import pickle

    copy = pickle.loads(pickle.dumps(schedule))
    assert (copy.at, copy.zone) == (COLLECT_AT, ZONE)


def test_the_slot_schedule_is_due_once_per_slot_at_its_boundary() -> None:
    schedule = SlotSchedule(3600)
    now = datetime.now(UTC)
    due, next_in = schedule.is_due(now - timedelta(hours=1, seconds=1))
    assert due
    slot_start = now.replace(minute=0, second=0, microsecond=0)
    expected = (slot_start + timedelta(hours=1) - now).total_seconds()
    assert abs(next_in - expected) < 5
    due, _ = schedule.is_due(slot_start + timedelta(microseconds=1))
    assert not due or datetime.now(UTC) >= slot_start + timedelta(hours=1)
    # Beat pickles its entries in its state file.
    import pickle

    assert pickle.loads(pickle.dumps(schedule)).interval_s == 3600


@pytest.mark.parametrize("command", [["worker", "--concurrency", "0"]])
def test_bad_worker_options_are_refused_clearly(command: list[str]) -> None:
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2
    assert "at least 1" in result.output


@pytest.mark.parametrize("role", ["worker", "beat"])
def test_an_unsupported_broker_url_is_refused_with_its_reason(role: str, settings: Any) -> None:
    settings.CELERY_BROKER_URL = "sqs://somewhere"
    result = CliRunner().invoke(cli, [role])
    assert result.exit_code == 2
    assert "unsupported scheme 'sqs'" in result.output


def test_the_roles_are_commands() -> None:
    runner = CliRunner()
    assert "-Q" in runner.invoke(cli, ["worker", "--help"]).output
    assert "aligned" in runner.invoke(cli, ["beat", "--help"]).output
