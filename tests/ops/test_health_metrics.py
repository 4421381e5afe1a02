"""/health and /metrics through the real URL map, database and broker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from prometheus_client.parser import text_string_to_metric_families

from menhir.polling import CycleSummary, PollService
from metrics.cycles import CycleStats, prune, record_cycle
from metrics.models import PollCycle
from metrics.spool import Batch, Spool
from tests.ops.conftest import NOTHING_LISTENS

TOKEN = "scrape-token-0123456789abcdef"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
CLOSED_PORT_BROKER = f"amqp://guest:guest@127.0.0.1:{NOTHING_LISTENS}//"


def scrape(
    client: Client, token: str | None = TOKEN
) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.get("/metrics", **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            samples.setdefault(sample.name, {})[key] = sample.value
    return samples


@pytest.mark.django_db
def test_health_answers_without_login_with_the_database_check() -> None:
    response = Client().get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["latency_ms"] >= 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_away")
def test_health_is_503_when_the_database_is_away() -> None:
    response = Client().get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "unavailable"
    assert body["checks"]["database"]["error"]


def test_health_refuses_other_methods() -> None:
    assert Client().post("/health").status_code == 405


@pytest.mark.django_db
def test_metrics_needs_the_configured_token() -> None:
    client = Client()
    with override_settings(MENHIR_METRICS_TOKEN=""):
        disabled = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert disabled.status_code == 403
        assert b"MENHIR_METRICS_TOKEN" in disabled.content
    with override_settings(MENHIR_METRICS_TOKEN=TOKEN):
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
        assert wrong.status_code == 401
        assert wrong["WWW-Authenticate"].startswith("Bearer")
        basic = client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}")
        assert basic.status_code == 401
        ok = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert ok.status_code == 200
        assert TOKEN.encode() not in ok.content


def cycle(duration: float, unreachable: int, slot: str, timeouts: int = 0) -> None:
    """One cycle's row, written as the poller writes it (in the test's transaction)."""
    connection.ensure_connection()
    record_cycle(
        connection.connection,
        CycleStats(
            datetime.fromisoformat(slot),
            60,
            duration,
            10,
            unreachable,
            unreachable,
            timeouts,
            60,
            False,
            0,
        ),
    )


@pytest.mark.django_db
def test_metrics_reports_cycles_spool_and_queues(tmp_path: Path) -> None:
    cycle(3.0, 1, "2026-11-28T10:00:00+00:00", timeouts=1)
    cycle(42.0, 4, "2026-11-28T10:01:00+00:00", timeouts=4)
    cycle(75.0, 0, "2026-11-28T10:02:00+00:00")
    spool = Spool(tmp_path / "spool")
    spool.append(Batch())
    spool.append(Batch())
    spool.reject(spool.append(Batch()), "test: refused")
    queue = f"menhir-test-{uuid.uuid4().hex[:8]}"
    _publish(RABBITMQ, queue, 3)
    try:
        with override_settings(
            MENHIR_METRICS_TOKEN=TOKEN,
            METRICS_SPOOL_DIR=tmp_path / "spool",
            CELERY_BROKER_URL=RABBITMQ,
            MENHIR_METRICS_QUEUES=[queue, "menhir-test-never-declared"],
        ):
            samples = scrape(Client())
    finally:
        _delete(RABBITMQ, queue)
    hist = "menhir_poll_cycle_duration_seconds"
    assert samples[f"{hist}_count"][()] == 3
    assert samples[f"{hist}_sum"][()] == 120.0
    assert samples[f"{hist}_bucket"][(("le", "5.0"),)] == 1
    assert samples[f"{hist}_bucket"][(("le", "45.0"),)] == 2
    assert samples[f"{hist}_bucket"][(("le", "60.0"),)] == 2
    assert samples[f"{hist}_bucket"][(("le", "90.0"),)] == 3
    assert samples["menhir_poll_cycles"][()] == 3
    assert samples["menhir_poll_device_timeouts"][()] == 5
    assert samples["menhir_poll_last_cycle_duration_seconds"][()] == 75.0
    assert samples["menhir_poll_last_cycle_timeouts"][()] == 0
    finished = datetime(2026, 11, 28, 10, 2, tzinfo=UTC).timestamp() + 75.0
    assert samples["menhir_poll_last_cycle_timestamp_seconds"][()] == finished
    assert samples["menhir_database_up"][()] == 1
    assert samples["menhir_spool_batches"][()] == 2
    assert samples["menhir_spool_rejected_batches"][()] == 1
    assert samples["menhir_broker_up"][()] == 1
    assert samples["menhir_queue_messages"] == {(("queue", queue),): 3}
    assert samples["menhir_queue_consumers"][(("queue", queue),)] == 0
    assert samples["menhir_incidents_open"][()] == 0


@pytest.mark.django_db
def test_metrics_reports_redis_queue_lengths() -> None:
    url = "redis://127.0.0.1:6379/15"
    queue = f"menhir-test-{uuid.uuid4().hex[:8]}"
    _publish(url, queue, 2)
    try:
        with override_settings(
            MENHIR_METRICS_TOKEN=TOKEN, CELERY_BROKER_URL=url, MENHIR_METRICS_QUEUES=[queue]
        ):
            samples = scrape(Client())
    finally:
        _delete(url, queue)
    assert samples["menhir_queue_messages"][(("queue", queue),)] == 2


@pytest.mark.django_db
def test_metrics_says_when_the_broker_is_down() -> None:
    with override_settings(MENHIR_METRICS_TOKEN=TOKEN, CELERY_BROKER_URL=CLOSED_PORT_BROKER):
        samples = scrape(Client())
    assert samples["menhir_broker_up"][()] == 0
    assert "menhir_queue_messages" not in samples
    assert samples["menhir_database_up"][()] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_away")
def test_metrics_without_the_database_still_reports_spool_and_broker(tmp_path: Path) -> None:
    with override_settings(
        MENHIR_METRICS_TOKEN=TOKEN, METRICS_SPOOL_DIR=tmp_path, CELERY_BROKER_URL=RABBITMQ
    ):
        samples = scrape(Client())
    assert samples["menhir_database_up"][()] == 0
    assert "menhir_poll_cycles" not in samples
    assert samples["menhir_spool_batches"][()] == 0
    assert samples["menhir_broker_up"][()] == 1


def _publish(url: str, queue: str, count: int) -> None:
    from kombu import Connection

    with Connection(url) as conn:
        producer = conn.Producer()
        for number in range(count):
            producer.publish(
                {"n": number}, routing_key=queue, declare=[conn.SimpleQueue(queue).queue]
            )


def _delete(url: str, queue: str) -> None:
    from kombu import Connection, Queue

    with Connection(url) as conn:
        Queue(queue, channel=conn.channel()).delete()


@pytest.mark.django_db
def test_cycle_rows_older_than_30_days_are_pruned() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    cycle(3.0, 0, (now - timedelta(days=31)).isoformat())
    cycle(4.0, 0, (now - timedelta(days=29)).isoformat())
    assert prune(connection.connection, now) == 1
    assert list(PollCycle.objects.values_list("duration_s", flat=True)) == [4.0]


@pytest.mark.django_db(transaction=True)
def test_recording_with_the_database_away_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with override_settings(METRICS_SPOOL_DIR=tmp_path / "spool"):
        service = PollService(60, detect=False)
        try:
            request.getfixturevalue("database_away")
            summary = CycleSummary(devices=10, duration_s=3.0)
            service.record_cycle(summary, datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
        finally:
            service.close()
    assert "could not record the poll cycle" in caplog.text
