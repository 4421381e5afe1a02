"""Distributed polling: a full cycle of the reference network with 1 and with 2 Celery workers.

The reference network (2,026 sites, 2,059 pollable devices, ~20,500 interfaces) is seeded into a
throwaway database and served by the lab on this machine; `menhir worker` processes (one pool
process each) consume private queues on the machine's RabbitMQ. A cycle is timed from its
dispatch to its slot's close (every shard polled and written, detection run). One warm-up cycle
first (connections, topology, first counters), then BENCH_DISTRIBUTED_CYCLES measured ones.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.figures import Figure

CYCLES = int(os.environ.get("BENCH_DISTRIBUTED_CYCLES", "2"))
LAB_PORT = 27090
BROKER = os.environ.get("BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
MENHIR = str(Path(sys.executable).with_name("menhir"))


def _start_lab() -> tuple[Any, asyncio.AbstractEventLoop, threading.Thread]:
    from simulation.lab.inventory_adapter import load_network
    from simulation.lab.supervisor import Lab, LabOptions
    from simulation.lab.worker import WorkerOptions

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    lab = Lab(load_network(), LabOptions(control_port=0, workers=1, worker=WorkerOptions()))
    asyncio.run_coroutine_threadsafe(lab.start(), loop).result(120)
    missing = asyncio.run_coroutine_threadsafe(lab.check_ready(), loop).result(120)
    if missing:
        raise RuntimeError(f"lab agents not answering: {missing[:5]}")
    return lab, loop, thread


def _worker(name: str, queues: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    process = subprocess.Popen(
        [MENHIR, "worker", "-Q", queues, "-c", "1", "-n", name, "-l", "WARNING"],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    out.close()
    return process


def _cycle(send: Any, when: Any) -> tuple[float, int, int]:
    """Seconds from dispatch to the slot's close, devices and interfaces polled."""
    from menhir.distributed import dispatch
    from poller.models import PollSlot

    began = time.perf_counter()
    slot = dispatch(send, when).slot_start
    deadline = began + 600
    while time.perf_counter() < deadline:
        row = PollSlot.objects.filter(slot_start=slot, closed_at__isnull=False).first()
        if row is not None:
            summary = row.report["summary"]
            if summary["devices_unreachable"] or row.report["missing"] or row.report["failed"]:
                raise RuntimeError(f"incomplete cycle: {row.report}")
            seconds = time.perf_counter() - began
            return seconds, int(summary["devices"]), int(summary["interfaces"])
        time.sleep(0.2)
    raise RuntimeError("a cycle did not close within 600 s")


def _measure(
    workers: int, env: dict[str, str], queues: str, tmp: Path, start: Any
) -> list[tuple[float, int]]:
    from celery import Celery

    client = Celery("bench", broker=BROKER)

    def send(slot_iso: str, shard: str, queue: str) -> None:
        client.send_task("menhir.poll_shard", (slot_iso, shard), queue=queue)

    processes = [
        _worker(f"bench{n}-{uuid.uuid4().hex[:6]}", queues, env, tmp / f"w{workers}-{n}.log")
        for n in range(workers)
    ]
    try:
        time.sleep(8)  # workers up and consuming
        times = []
        for k in range(CYCLES + 1):
            seconds, devices, interfaces = _cycle(send, start + timedelta(minutes=k))
            if interfaces < 20_000:
                raise RuntimeError(f"only {interfaces} interfaces polled")
            if k:  # the first is the warm-up
                times.append((seconds, devices))
        return times
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(60)


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database() as name, tempfile.TemporaryDirectory() as tmp_dir:
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from inventory.models import SNMPProfile

        SNMPProfile.objects.update(port=LAB_PORT)
        tag = uuid.uuid4().hex[:8]
        settings.MENHIR_CELERY_QUEUE = f"bench-menhir-{tag}"
        settings.MENHIR_POLL_QUEUE = f"bench-poll-{tag}"
        settings.MENHIR_POLL_QUEUE_BY_REGION = False
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            DATABASE_URL=(
                f"postgresql://{db['USER'] or 'postgres'}@/{name}"
                f"?host={db['HOST']}&port={db['PORT']}"
            ),
            CELERY_BROKER_URL=BROKER,
            MENHIR_CELERY_QUEUE=settings.MENHIR_CELERY_QUEUE,
            MENHIR_POLL_QUEUE=settings.MENHIR_POLL_QUEUE,
            MENHIR_SPOOL_DIR=str(Path(tmp_dir) / "spool"),
            MENHIR_LOG_LEVEL="WARNING",
        )
        queues = f"{settings.MENHIR_CELERY_QUEUE},{settings.MENHIR_POLL_QUEUE}"
        lab, loop, thread = _start_lab()
        try:
            start = timezone.now()
            one = _measure(1, env, queues, Path(tmp_dir), start)
            two = _measure(2, env, queues, Path(tmp_dir), start + timedelta(hours=1))
        finally:
            asyncio.run_coroutine_threadsafe(lab.stop(), loop).result(60)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            _delete_queues([settings.MENHIR_CELERY_QUEUE, settings.MENHIR_POLL_QUEUE])
    t1, t2 = (statistics.median(s for s, _ in runs) for runs in (one, two))
    devices = one[0][1]
    return [
        Figure("distributed_cycle_1_worker", t1, "s"),
        Figure("distributed_cycle_2_workers", t2, "s", t1, "1 worker"),
        Figure("distributed_devices_per_s_1_worker", devices / t1, "devices/s"),
        Figure(
            "distributed_devices_per_s_2_workers",
            devices / t2,
            "devices/s",
            devices / t1,
            "1 worker",
        ),
    ]


def _delete_queues(names: list[str]) -> None:
    from kombu import Connection

    with Connection(BROKER, connect_timeout=5) as conn:
        channel = conn.channel()
        for queue in names:
            channel.queue_delete(queue)
