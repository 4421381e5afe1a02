"""The Celery app of the distributed mode: `menhir worker` and `menhir beat` run it.

Beat's schedule: a poll slot at each interval boundary (`menhir.dispatch_slot`), and the SLA
collection once a day at 00:30 Paris time (`menhir.collect_sla_runs`, menhir.sla_collection).

Every setting that makes a killed worker lose nothing is here: tasks are acknowledged after they
ran (acks_late) and given back to the broker when their worker dies (reject_on_worker_lost), a
worker takes one task at a time (prefetch 1), and a shard has a hard time limit. With Redis, a
task not acknowledged within the visibility timeout is delivered again: it is set just above the
time limit (the shard lock makes an early redelivery harmless anyway).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from celery import Celery
from celery.schedules import schedstate, schedule

from menhir.bootstrap import setup_django

setup_django()

from django.conf import settings  # noqa: E402  (after Django is set up)

from menhir import sla_collection  # noqa: E402


class SlotSchedule(schedule):
    """Due at each slot boundary (a multiple of the interval since the epoch), once per slot."""

    def __init__(self, interval_s: int, **kwargs: Any) -> None:
        super().__init__(run_every=timedelta(seconds=interval_s), **kwargs)
        self.interval_s = interval_s

    def is_due(self, last_run_at: datetime) -> schedstate:
        now = datetime.now(UTC).timestamp()
        last = (
            last_run_at.timestamp()
            if last_run_at.tzinfo
            else last_run_at.replace(tzinfo=UTC).timestamp()
        )
        due = int(now // self.interval_s) > int(last // self.interval_s)
        return schedstate(due, self.interval_s - now % self.interval_s)

    def __reduce__(self) -> tuple[Any, ...]:
        return self.__class__, (self.interval_s,)


class DailySchedule(schedule):
    """Due once a day at `at` in `zone` (local time, so a clock change moves it with the day),
    or at beat's first check after it when beat was down then."""

    def __init__(self, at: time, zone: tzinfo, **kwargs: Any) -> None:
        super().__init__(run_every=timedelta(days=1), **kwargs)
        self.at = at
        self.zone = zone

    def _occurrence(self, day: Any) -> datetime:
        return datetime.combine(day, self.at, self.zone)

    def is_due(self, last_run_at: datetime) -> schedstate:
        now = self.now().astimezone(self.zone)
        last = last_run_at if last_run_at.tzinfo else last_run_at.replace(tzinfo=UTC)
        latest = self._occurrence(now.date())
        if latest > now:
            latest = self._occurrence(now.date() - timedelta(days=1))
        upcoming = self._occurrence(latest.date() + timedelta(days=1))
        # In UTC: between two times of one zone Python subtracts wall clocks, not elapsed time.
        remaining = upcoming.astimezone(UTC) - now.astimezone(UTC)
        return schedstate(last < latest, max(remaining.total_seconds(), 1.0))

    def __reduce__(self) -> tuple[Any, ...]:
        return self.__class__, (self.at, self.zone)


UNACKED_MUTEX_EXPIRE_S = 10


def _transport_options() -> dict[str, Any]:
    options: dict[str, Any] = {
        "visibility_timeout": settings.MENHIR_BROKER_VISIBILITY_TIMEOUT,
        # The sweep that redelivers unacknowledged tasks runs under a Redis lock that expires
        # after kombu's default 300 s. Redis persists that lock (with an absolute expiry in the
        # append-only file), so a broker stopped while a sweep holds it comes back with the lock
        # held and redelivers nothing for up to five minutes. A sweep takes milliseconds, and
        # two sweeps at once are harmless (each tag is restored in a WATCH transaction).
        "unacked_mutex_expire": UNACKED_MUTEX_EXPIRE_S,
    }
    if settings.MENHIR_BROKER_RESTORE_INTERVAL > 0:
        options["unacked_restore_interval"] = settings.MENHIR_BROKER_RESTORE_INTERVAL
        options["unacked_restore_throttle"] = 1
    return options


def _config() -> dict[str, Any]:
    limit = settings.MENHIR_SHARD_TIME_LIMIT
    return {
        "broker_url": settings.CELERY_BROKER_URL,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": _transport_options(),
        "task_default_queue": settings.MENHIR_CELERY_QUEUE,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_ignore_result": True,
        "task_time_limit": limit,
        "task_soft_time_limit": max(limit - 10, 1),
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "enable_utc": True,
        "timezone": "UTC",
        "beat_schedule": {
            "menhir-poll-slot": {
                "task": "menhir.dispatch_slot",
                "schedule": SlotSchedule(settings.MENHIR_POLL_INTERVAL),
            },
            "menhir-sla-collection": {
                "task": "menhir.collect_sla_runs",
                "schedule": DailySchedule(sla_collection.COLLECT_AT, sla_collection.ZONE),
            },
        },
    }


app = Celery("menhir", include=["menhir.tasks"])
app.conf.update(_config())
