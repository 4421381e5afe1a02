"""The daily SLA collection as a step of its own: the embedded loop runs it once a day (time
injected, no sleeping), on the real collection; a failure is retried at the next cycle."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from inventory.models import Device
from menhir.polling import PollService
from menhir.sla_collection import OncePerDay
from sla.collect import paris_day_bounds, yesterday
from sla.models import CollectedWindow, MonitoringRun
from tests.factories.sla import small_month

MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Paris
JUST_AFTER_MIDNIGHT = datetime(2026, 3, 10, 23, 10, tzinfo=UTC)  # 00:10 on the 11th in Paris


@pytest.fixture
def service(tmp_path: Path) -> Iterator[PollService]:
    """The embedded mode's service, polling nothing (the collection reads the store only)."""
    with override_settings(METRICS_SPOOL_DIR=tmp_path / "spool"):
        polling = PollService(60, detect=False, devices=Device.objects.none())
        try:
            yield polling
        finally:
            polling.close()
    with connection.cursor() as cur:  # not a Django model: the flush leaves it
        cur.execute("TRUNCATE metrics_poll_cycle")


def windows() -> list[tuple[int, datetime, datetime]]:
    return list(CollectedWindow.objects.order_by("start").values_list("pk", "start", "end"))


@pytest.mark.django_db(transaction=True)  # the service commits its maintenance
def test_the_embedded_loop_collects_yesterday_after_a_start_then_once_a_day(
    service: PollService, caplog: pytest.LogCaptureFixture
) -> None:
    month = small_month()
    MonitoringRun.objects.all().delete()
    CollectedWindow.objects.all().delete()
    ninth, tenth = paris_day_bounds(date(2026, 3, 9)), paris_day_bounds(date(2026, 3, 10))

    service.run_once(MORNING)  # the first cycle after a start: yesterday, the 9th
    runs = {(r.link_id, r.start, r.end, r.state) for r in MonitoringRun.objects.all()}
    # nothing polled that day: every access link UNKNOWN all day
    assert runs == {(link.pk, *ninth, "unknown") for link in (month.link_a, month.link_b)}
    [first] = windows()
    assert first[1:] == ninth

    for minutes in (1, 2, 600):  # the same Paris day: not collected again
        service.run_once(MORNING + timedelta(minutes=minutes))
    assert windows() == [first]

    service.run_once(JUST_AFTER_MIDNIGHT)  # the first cycle of the 11th: the 10th
    assert windows() == [first, (windows()[1][0], *tenth)]
    assert "not collected" not in caplog.text


def test_a_failed_collection_is_logged_and_tried_again_at_the_next_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    asked: list[datetime] = []

    def collect(now: datetime) -> date:
        asked.append(now)
        if len(asked) == 1:
            raise ConnectionError("database away")
        return yesterday(now)

    daily = OncePerDay(collect)
    with caplog.at_level(logging.ERROR, logger="menhir.sla_collection"):
        assert daily(MORNING) is False
    assert "SLA monitoring runs of 2026-03-09 not collected" in caplog.text
    assert daily(MORNING + timedelta(minutes=1)) is True
    assert daily(MORNING + timedelta(minutes=2)) is False
    assert daily(JUST_AFTER_MIDNIGHT) is True
    assert asked == [MORNING, MORNING + timedelta(minutes=1), JUST_AFTER_MIDNIGHT]
