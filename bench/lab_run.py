"""The lab running beside a benchmark: its agents in worker processes, its supervisor (control
API) on an event loop in a background thread, so the benchmark's own process CPU stays the
poller's and the faults can be injected through the real control API."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from simulation.lab.control import call
from simulation.lab.model import LabNetwork
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions

T = TypeVar("T")


@dataclass
class RunningLab:
    lab: Lab
    loop: asyncio.AbstractEventLoop

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.lab.control_port}"

    def run(self, coro: Coroutine[Any, Any, T], timeout_s: float = 600) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout_s)

    def api(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        return call(self.url, method, path, payload)

    def pids(self) -> list[int]:
        return [p.pid for p in self.lab.processes if p.pid]


@contextlib.contextmanager
def running_lab(
    network: LabNetwork, control_port: int = 0, worker: WorkerOptions | None = None
) -> Iterator[RunningLab]:
    """Start every agent of `network`, wait until each answers, stop them all afterwards.
    `worker`: e.g. the TWAMP-Light reflectors' port (none by default)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    lab = Lab(network, LabOptions(control_port=control_port, worker=worker or WorkerOptions()))
    running = RunningLab(lab, loop)
    try:
        running.run(lab.start())
        missing = running.run(lab.check_ready())
        if missing:
            raise RuntimeError(f"{len(missing)} lab agents did not answer: {missing[:5]}")
        yield running
    finally:
        running.run(lab.stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
