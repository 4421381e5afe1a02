"""A small two-region network in the database (committed: workers are other processes), the lab
serving it on this suite's private port, and queue names private to the test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import LazySettings

from inventory.models import Commune, Department, Device, SNMPProfile
from tests.menhir.cluster import (
    Names,
    RunningLab,
    Worker,
    database_url,
    delete_queues,
    private_port,
)
from tests.simulation.lab.small_network import SmallNetwork, build, pick_addresses

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
TWAMP_PORT = private_port(1)  # the lab's reflectors, on this run's own device addresses


@dataclass
class Cluster:
    names: Names
    lab: RunningLab
    broker_url: str
    tmp: Path
    settings: LazySettings
    workers: list[Worker] = field(default_factory=list)

    def devices(self, shard_pop: str | None = None) -> list[int]:
        devices = Device.objects.all()
        if shard_pop == "brest":
            devices = devices.filter(name__in=["pop-brest-1", "cpe-0290001c"])
        return list(devices.values_list("pk", flat=True))

    def env(self, **extra: str) -> dict[str, str]:
        import os

        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=self.broker_url,
            MENHIR_CELERY_QUEUE=self.names.control,
            MENHIR_POLL_QUEUE=self.names.poll,
            MENHIR_POLL_QUEUE_BY_REGION="1",
            MENHIR_SPOOL_DIR=str(self.tmp / "spool"),
            MENHIR_LOG_LEVEL="INFO",
            MENHIR_PROBE_TWAMP_PORT=str(TWAMP_PORT),
            **extra,
        )
        return env

    def worker(self, name: str, queues: list[str], **extra: str) -> Worker:
        worker = Worker(
            f"{name}@{self.names.tag}", queues, self.env(**extra), self.tmp / f"{name}.log"
        )
        self.workers.append(worker)
        return worker.start()


def use_broker(cluster: Cluster, broker_url: str) -> None:
    cluster.broker_url = broker_url


@pytest.fixture
def cluster(transactional_db: None, settings: LazySettings, tmp_path: Path) -> Iterator[Cluster]:
    net = SmallNetwork(port=private_port(0), prefix=pick_addresses().prefix)
    build(net)
    # Brest gets a department of its own: its shard goes to the queue of region 29.
    finistere = Department.objects.create(code="29", name="Finistère")
    Commune.objects.filter(insee="29019").update(department=finistere)
    SNMPProfile.objects.update(timeout_ms=8000, retries=0)  # the slow fault must not time out
    names = Names()
    settings.MENHIR_CELERY_QUEUE = names.control
    settings.MENHIR_POLL_QUEUE = names.poll
    settings.MENHIR_POLL_QUEUE_BY_REGION = True
    lab = RunningLab(twamp_port=TWAMP_PORT).start()
    cluster = Cluster(names, lab, RABBITMQ, tmp_path, settings)
    try:
        yield cluster
    finally:
        for worker in cluster.workers:
            worker.stop()
        lab.stop()
        if cluster.broker_url == RABBITMQ:
            delete_queues(RABBITMQ, names.all(["29", "35"]))


@pytest.fixture
def inprocess_service() -> Iterator[None]:
    """The distributed mode's per-process PollService, made afresh under the test's settings
    (dispatch and slot closing run in the test's process: tests.menhir.inprocess)."""
    from menhir import distributed

    distributed._service = None
    try:
        yield
    finally:
        if distributed._service is not None:
            distributed._service.close()
        distributed._service = None
