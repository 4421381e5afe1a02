"""/health and /metrics through the real URL map, database and broker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import override_settings
from prometheus_client.parser import text_string_to_metric_families

from menhir.ops.cycles import record_cycle
from menhir.polling import CycleSummary
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


def summary(duration: float, unreachable: int, slot: str) -> CycleSummary:
    return CycleSummary(
        devices=10,
        devices_unreachable=unreachable,
        interfaces=60,
        samples_written=60,
        errors=unreachable,
        duration_s=duration,
        slot_start=slot,
    )


@pytest.mark.django_db
def test_metrics_reports_cycles_spool_and_queues(tmp_path: Path) -> None:
    assert record_cycle(summary(3.0, 1, "2026-11-28T10:00:00+00:00"), 60)
    assert record_cycle(summary(42.0, 4, "2026-11-28T10:01:00+00:00"), 60)
    assert record_cycle(summary(75.0, 0, "2026-11-28T10:02:00+00:00"), 60, shard="poll.west")
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
    all_shards = (("shard", ""),)
    west = (("shard", "poll.west"),)
    hist = "menhir_poll_cycle_duration_seconds"
    assert samples[f"{hist}_count"][all_shards] == 2
    assert samples[f"{hist}_sum"][all_shards] == 45.0
    assert samples[f"{hist}_bucket"][(("le", "5.0"), ("shard", ""))] == 1
    assert samples[f"{hist}_bucket"][(("le", "45.0"), ("shard", ""))] == 2
    assert samples[f"{hist}_bucket"][(("le", "60.0"), ("shard", "poll.west"))] == 0
    assert samples[f"{hist}_bucket"][(("le", "90.0"), ("shard", "poll.west"))] == 1
    assert samples["menhir_poll_device_timeouts"][all_shards] == 5
    assert samples["menhir_poll_last_cycle_duration_seconds"][all_shards] == 42.0
    assert samples["menhir_poll_last_cycle_timeouts"][all_shards] == 4
    assert samples["menhir_poll_last_cycle_duration_seconds"][west] == 75.0
    assert (
        samples["menhir_poll_last_cycle_timestamp_seconds"][west] <= datetime.now(UTC).timestamp()
    )
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
    from menhir.ops.cycles import prune
    from menhir.ops.models import CycleStat

    assert record_cycle(summary(3.0, 0, ""), 60)
    now = datetime.now(UTC)
    CycleStat.objects.update(finished_at=now - timedelta(days=31))
    assert record_cycle(summary(4.0, 0, ""), 60)
    assert prune(now) == 1
    assert list(CycleStat.objects.values_list("duration_s", flat=True)) == [4.0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_away")
def test_recording_with_the_database_away_is_a_warning_not_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert record_cycle(summary(3.0, 0, ""), 60) is False
    assert "cycle figures not recorded" in caplog.text
