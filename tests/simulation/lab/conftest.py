"""Fixtures: a small network from the database, and a running lab (real processes, real UDP)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from django.db import transaction

from simulation.lab.control import call
from simulation.lab.inventory_adapter import load_network
from simulation.lab.model import LabNetwork
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions
from tests.simulation.lab.small_network import SmallNetwork, build, pick_addresses

T = TypeVar("T")
TWAMP_PORT = 862  # the reflectors' port: the addresses are this process's own


@pytest.fixture(scope="module")
def small(django_db_setup: None, django_db_blocker: Any) -> tuple[SmallNetwork, LabNetwork]:
    """The small network, read back through the adapter; the database is left as it was."""
    net = pick_addresses()
    with django_db_blocker.unblock(), transaction.atomic():
        build(net)
        network = load_network()
        transaction.set_rollback(True)
    return net, network


@dataclass
class RunningLab:
    lab: Lab
    loop: asyncio.AbstractEventLoop
    net: SmallNetwork
    network: LabNetwork

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.lab.control_port}"

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    def api(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        return call(self.url, method, path, payload)

    def device(self, name: str) -> Any:
        return next(d for d in self.network.devices if d.name == name)


@pytest.fixture(scope="module")
def running_lab(small: tuple[SmallNetwork, LabNetwork]) -> Iterator[RunningLab]:
    net, network = small
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    worker = WorkerOptions(twamp_port=TWAMP_PORT)
    lab = Lab(network, LabOptions(control_port=0, workers=2, worker=worker))
    running = RunningLab(lab, loop, net, network)
    running.run(lab.start())
    assert running.run(lab.check_ready()) == []
    try:
        yield running
    finally:
        running.run(lab.stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.fixture
def lab(running_lab: RunningLab) -> Iterator[RunningLab]:
    """The shared lab, with every fault cleared after the test."""
    yield running_lab
    running_lab.api("DELETE", "/faults", {})
