"""Distributed polling with real `menhir worker` processes, the machine's RabbitMQ (queues private
to each test), a private redis-server, the lab on UDP and PostgreSQL.

Slots are dispatched from the test (the same `dispatch` beat's task runs), one minute apart on
the slot clock, so each test is a few real seconds long."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from menhir import distributed
from poller.models import CounterState, PollSlot, ShardRun, ShardState
from tests.menhir.cluster import (
    RedisServer,
    device_samples,
    sender,
    wait_for,
)
from tests.menhir.conftest import Cluster

pytestmark = [pytest.mark.timeout(180)]
SLOW_S = 3.0  # the slow fault's delay: long enough to act while the shard is being polled


def closed(slot_start: datetime) -> bool:
    return PollSlot.objects.filter(slot_start=slot_start, closed_at__isnull=False).exists()


def run_cycle(send: distributed.Send, now: datetime, timeout_s: float = 60) -> PollSlot:
    result = distributed.dispatch(send, now)
    wait_for(lambda: closed(result.slot_start), timeout_s, f"slot {result.slot_start} closed")
    return PollSlot.objects.get(slot_start=result.slot_start)


def wait_closed(slot_start: datetime, timeout_s: float, cluster: Cluster) -> None:
    """Wait for the slot to close; if it does not, say which shards it still waits for and
    what the workers last logged, so that a timeout is diagnosable from the report alone."""
    try:
        wait_for(lambda: closed(slot_start), timeout_s, f"slot {slot_start} closed")
    except AssertionError as exc:
        runs = ShardRun.objects.filter(slot__slot_start=slot_start).order_by("shard")
        states = ", ".join(
            f"{r.shard}={r.state} (attempts {r.attempts}, {r.worker or '-'})" for r in runs
        )
        tails = "\n".join(
            f"--- {w.name}\n" + "\n".join(w.log().splitlines()[-15:]) for w in cluster.workers
        )
        raise AssertionError(f"{exc}; shards: {states}\n{tails}") from None


def run_of(slot: PollSlot | datetime, shard: str) -> ShardRun:
    start = slot.slot_start if isinstance(slot, PollSlot) else slot
    return ShardRun.objects.get(slot__slot_start=start, shard=shard)


def test_two_workers_on_two_region_queues_poll_disjoint_shards_once_each(
    cluster: Cluster,
) -> None:
    names = cluster.names
    west = cluster.worker("west", [f"{names.poll}.29"])
    east = cluster.worker("east", [names.control, f"{names.poll}.35"])
    _, send = sender(cluster.broker_url)
    since = timezone.now()
    first = run_cycle(send, since)
    second = run_cycle(send, since + timedelta(minutes=1))

    for slot in (first, second):
        runs = {r.shard: r for r in slot.runs.all()}
        assert set(runs) == {"pop:brest", "pop:rennes", "pop:vitre"}
        assert {r.state for r in runs.values()} == {ShardState.DONE}
        assert runs["pop:brest"].worker == west.name
        assert runs["pop:brest"].queue == f"{names.poll}.29"
        assert {runs["pop:rennes"].worker, runs["pop:vitre"].worker} == {east.name}
        assert slot.report["missing"] == []
        assert slot.report["detection"] == "done"
        assert slot.report["summary"]["devices"] == 7
    # Every device polled exactly once per cycle: one device sample per device per slot.
    assert set(device_samples(cluster.devices(), since).values()) == {2}
    # Counter state lives in the database, so the second cycle has rates for every up interface.
    assert CounterState.objects.count() == 7
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(in_bps) FROM metrics_interface_sample"
            " WHERE time >= %s AND oper_status = 1 AND device_id = ANY(%s)"
            " AND time >= (SELECT max(started_at) FROM poller_shard_run)",
            [since, cluster.devices()],
        )
        up_latest, with_rate = cur.fetchone()
    assert up_latest > 0
    assert with_rate == up_latest


def test_shard_tasks_probe_their_own_devices_links_in_their_slot(cluster: Cluster) -> None:
    names = cluster.names
    extra = {"MENHIR_PROBE_IN_SHARDS": "true"}
    cluster.worker("west", [f"{names.poll}.29"], **extra)
    cluster.worker("east", [names.control, f"{names.poll}.35"], **extra)
    _, send = sender(cluster.broker_url)
    slot = run_cycle(send, timezone.now())
    from django.db import connection

    from prober.targets import load_targets

    links = {t.link_id: t.device_id for t in load_targets().targets}
    brest = set(cluster.devices("brest"))
    with connection.cursor() as cur:
        cur.execute(  # this test's links (other tests of the run may have probed this minute)
            "SELECT link_id, sent, lost FROM metrics_link_probe"
            " WHERE time = %s AND link_id = ANY(%s)",
            [slot.slot_start, list(links)],
        )
        rows = {link: (sent, lost) for link, sent, lost in cur.fetchall()}
    # every access link probed once, in the slot, by the shard that polls its far end
    assert set(rows) == set(links)
    assert {sent for sent, _ in rows.values()} == {5}  # (how many answered is load, not logic)
    assert any(device in brest for device in links.values())  # the western shard's too
    assert slot.report["detection"] == "done"


def test_a_worker_killed_mid_shard_loses_no_sample_and_rejoins(cluster: Cluster) -> None:
    names = cluster.names
    cluster.worker("east", [names.control, f"{names.poll}.35"])
    west = cluster.worker("west", [f"{names.poll}.29"])
    _, send = sender(cluster.broker_url)
    since = timezone.now()
    cluster.lab.inject("slow", "pop:brest", delay_s=SLOW_S)
    slot = distributed.dispatch(send, since).slot_start
    wait_for(lambda: run_of(slot, "pop:brest").state == ShardState.RUNNING, 30, "brest polling")
    west.kill()
    assert run_of(slot, "pop:brest").state == ShardState.RUNNING  # not acknowledged, not done
    assert set(device_samples(cluster.devices("brest"), since).values()) == {0}
    cluster.lab.clear()
    back = cluster.worker("west2", [f"{names.poll}.29"])  # the same queue: it rejoins
    wait_for(lambda: closed(slot), 60, "the slot closed after redelivery")

    brest = run_of(slot, "pop:brest")
    assert (brest.state, brest.attempts, brest.worker) == (ShardState.DONE, 2, back.name)
    assert set(device_samples(cluster.devices(), since).values()) == {1}
    second = run_cycle(send, since + timedelta(minutes=1))
    assert {r.state for r in second.runs.all()} == {ShardState.DONE}
    assert run_of(second, "pop:brest").worker == back.name
    assert set(device_samples(cluster.devices(), since).values()) == {2}


def test_an_overrunning_shard_is_reported_and_not_piled_up(
    cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    names = cluster.names
    cluster.worker("east", [names.control, f"{names.poll}.35"])
    cluster.worker("west", [f"{names.poll}.29"])
    _, send = sender(cluster.broker_url)
    since = timezone.now()
    cluster.lab.inject("slow", "pop:brest", delay_s=SLOW_S)
    first = distributed.dispatch(send, since).slot_start

    def only_brest_running() -> bool:
        states = {r.shard: r.state for r in ShardRun.objects.filter(slot__slot_start=first)}
        return states.pop("pop:brest") == ShardState.RUNNING and set(states.values()) == {
            ShardState.DONE
        }

    wait_for(only_brest_running, 30, "the other shards done while brest is still polled")
    with caplog.at_level(logging.WARNING, logger="menhir.distributed"):
        second = distributed.dispatch(send, since + timedelta(minutes=1))
    assert second.overrun == ["pop:brest"]
    assert "pop:brest" not in second.sent
    assert any(
        "overran" in r.getMessage() and "pop:brest" in r.getMessage() for r in caplog.records
    )
    wait_for(lambda: closed(first) and closed(second.slot_start), 60, "both slots closed")

    assert run_of(second.slot_start, "pop:brest").state == ShardState.SKIPPED_OVERRUN
    report = PollSlot.objects.get(slot_start=second.slot_start).report
    assert report["overrun"] == ["pop:brest"]
    counts = device_samples(cluster.devices(), since)
    brest = set(cluster.devices("brest"))
    assert {counts[d] for d in brest} == {1}  # polled once, by the first slot only
    assert {counts[d] for d in counts if d not in brest} == {2}


def test_redis_broker_restart_and_early_redelivery_never_poll_twice(cluster: Cluster) -> None:
    redis = RedisServer(cluster.tmp / "redis").start()
    try:
        cluster.broker_url = redis.url
        names = cluster.names
        # Visibility timeout below the slow shard's duration: Redis hands the running task to
        # the other worker, whose shard lock must refuse it.
        options = {"MENHIR_BROKER_VISIBILITY_TIMEOUT": "2", "MENHIR_BROKER_RESTORE_INTERVAL": "1"}
        queues = [names.control, f"{names.poll}.35", f"{names.poll}.29"]
        one = cluster.worker("one", queues, **options)
        two = cluster.worker("two", queues, **options)
        _, send = sender(redis.url)
        since = timezone.now()
        cluster.lab.inject("slow", "pop:brest", delay_s=SLOW_S * 2)
        first = run_cycle(send, since)
        assert {r.state for r in first.runs.all()} == {ShardState.DONE}
        deliveries = re.findall(
            r"menhir\.poll_shard\[([0-9a-f-]+)\] received", one.log() + two.log()
        )
        assert len(deliveries) > len(set(deliveries)), "no task was redelivered"
        assert "being polled by another task" in one.log() + two.log()
        assert set(device_samples(cluster.devices(), since).values()) == {1}

        # Redis restarts while the second slot is being polled; the third slot is dispatched
        # after it is back. Every device is still polled exactly once per slot.
        second = distributed.dispatch(send, since + timedelta(minutes=1)).slot_start
        wait_for(lambda: run_of(second, "pop:brest").state == ShardState.RUNNING, 30, "polling")
        redis.stop()
        redis.start()
        wait_closed(second, 90, cluster)
        cluster.lab.clear()
        third = run_cycle(send, since + timedelta(minutes=2), timeout_s=90)
        assert {r.state for r in third.runs.all()} == {ShardState.DONE}
        assert set(device_samples(cluster.devices(), since).values()) == {3}
        assert one.process is not None
        assert one.process.poll() is None
        assert two.process is not None
        assert two.process.poll() is None
    finally:
        for worker in cluster.workers:
            worker.stop()
        redis.stop()


def test_beat_dispatches_one_cycle_per_slot_aligned_on_the_interval(cluster: Cluster) -> None:
    import subprocess

    from tests.menhir.cluster import MENHIR

    names = cluster.names
    interval = {"MENHIR_POLL_INTERVAL": "3"}
    cluster.worker("all", names.all(["29", "35"]), **interval)
    log = (cluster.tmp / "beat.log").open("wb")
    beat = subprocess.Popen(
        [MENHIR, "beat", "--schedule", str(cluster.tmp / "beat-schedule")],
        env=cluster.env(**interval),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: PollSlot.objects.filter(closed_at__isnull=False).count() >= 2,
            30,
            "two slots dispatched by beat and closed",
        )
    finally:
        beat.terminate()
        beat.wait(20)
        log.close()
    slots = list(PollSlot.objects.filter(closed_at__isnull=False).order_by("slot_start")[:2])
    assert all(int(s.slot_start.timestamp()) % 3 == 0 for s in slots)
    assert slots[1].slot_start - slots[0].slot_start == timedelta(seconds=3)
    for slot in slots:
        assert {r.state for r in slot.runs.all()} == {ShardState.DONE}
