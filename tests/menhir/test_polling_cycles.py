"""Each poll cycle leaves one row in metrics_poll_cycle, what the poller-health dashboard reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from menhir.polling import PollService, slot_bounds
from metrics.cycles import CycleStats, count_timeouts, record_cycle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_cycles() -> Iterator[None]:
    """Not a Django model: the test database's flush leaves it alone, and other tests' cycles
    (any `run_once`) leave rows in it."""

    def truncate() -> None:
        with connection.cursor() as cur:
            cur.execute("TRUNCATE metrics_poll_cycle")

    truncate()
    yield
    truncate()


def rows() -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT time, interval_s, duration_s, devices, errors, timeouts, spooled,"
            " spool_batches FROM metrics_poll_cycle ORDER BY time"
        )
        return cur.fetchall()


def test_run_once_records_its_cycle(tmp_path: Path) -> None:
    with override_settings(METRICS_SPOOL_DIR=tmp_path / "spool"):
        service = PollService(60, detect=False)
        try:
            now = datetime.now(UTC)
            summary = service.run_once(now)
            service.run_once(now)  # the same slot again: rewritten, not doubled
        finally:
            service.close()
    [row] = rows()
    assert row[0] == slot_bounds(now, 60)[0]
    assert row[1] == 60
    assert row[2] > 0
    assert row[3:] == (summary.devices, summary.errors, 0, False, 0)


def test_a_cycle_row_is_rewritten_for_its_slot() -> None:
    slot = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    connection.ensure_connection()
    conn = connection.connection
    for duration in (10.0, 75.0):
        record_cycle(conn, CycleStats(slot, 60, duration, 2026, 3, 4, 2, 14000, True, 5))
    record_cycle(conn, CycleStats(slot + timedelta(minutes=1), 60, 9.0, 2026, 0, 0, 0, 1, False, 0))
    assert [(r[0], r[2], r[7]) for r in rows()] == [
        (slot, 75.0, 5),
        (slot + timedelta(minutes=1), 9.0, 0),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"time": datetime(2026, 11, 2)}, "timezone-aware"),  # noqa: DTZ001
        ({"interval_s": 0}, "bad cycle"),
        ({"duration_s": -1.0}, "bad cycle"),
        ({"timeouts": -1}, "negative"),
        ({"spool_batches": -2}, "negative"),
    ],
)
def test_bad_cycle_stats_are_refused(kwargs: dict, message: str) -> None:
    good = {
        "time": datetime(2026, 11, 2, tzinfo=UTC), "interval_s": 60, "duration_s": 1.0,
        "devices": 1, "unreachable": 0, "errors": 0, "timeouts": 0, "samples": 1,
        "spooled": False, "spool_batches": 0,
    }  # fmt: skip
    with pytest.raises(ValueError, match=message):
        CycleStats(**{**good, **kwargs})


def test_timeouts_are_the_errors_without_a_reply() -> None:
    errors = [
        None,
        "127.0.0.1:16100: no reply after 2 attempt(s) of 2 s (agent down, or wrong community)",
        "AuthError: unknown user",
        "ifTable: no reply (agent down, or wrong credentials)",
    ]
    assert count_timeouts(errors) == 2
