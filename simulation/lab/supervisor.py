"""The lab as a whole: shard the agents over worker processes, check they answer, take faults.

`run_lab(network, options)` is what `menhir lab` runs; `Lab` is also used directly by the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from simulation.lab.control import BadRequest, serve_control
from simulation.lab.faults import DEFAULT_SLOW_S, Targets, check_fault
from simulation.lab.model import LabDevice, LabNetwork
from simulation.lab.probe import unanswered
from simulation.lab.worker import WorkerOptions, run_worker

DEFAULT_CONTROL_PORT = 8161


class LabError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class LabOptions:
    control_host: str = "127.0.0.1"
    control_port: int = DEFAULT_CONTROL_PORT  # 0: any free port (tests)
    workers: int = 0  # 0: one per core
    worker: WorkerOptions = field(default_factory=WorkerOptions)


def shard(devices: tuple[LabDevice, ...], count: int) -> list[list[LabDevice]]:
    """Spread devices over `count` shards, balancing interfaces (biggest first, least loaded)."""
    shards: list[list[LabDevice]] = [[] for _ in range(count)]
    loads = [0] * count
    for device in sorted(devices, key=lambda d: -len(d.interfaces) - 1):
        i = loads.index(min(loads))
        shards[i].append(device)
        loads[i] += len(device.interfaces) + 1
    return [s for s in shards if s]


class Lab:
    def __init__(self, network: LabNetwork, options: LabOptions | None = None) -> None:
        for device in network.devices:
            if not device.address.startswith("127."):
                raise LabError(f"{device.name}: {device.address} is not a loopback address")
        self.network = network
        self.options = options or LabOptions()
        self.targets = Targets(network)
        self.processes: list[BaseProcess] = []
        self.pipes: list[Connection] = []
        self.faults: dict[str, list[str]] = {}
        self.server: asyncio.Server | None = None
        self.control_port = 0
        self.ready = False
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        count = self.options.workers or os.cpu_count() or 1
        context = multiprocessing.get_context("spawn")
        for devices in shard(self.network.devices, count):
            parent, child = context.Pipe()
            process = context.Process(
                target=run_worker, args=(child, devices, self.options.worker), daemon=True
            )
            process.start()
            child.close()
            self.processes.append(process)
            self.pipes.append(parent)
        for pipe in self.pipes:
            answer = await asyncio.to_thread(_receive, pipe, 600.0)
            if "error" in answer:
                await self.stop()
                raise LabError(answer["error"])
        self.server = await serve_control(
            self.handle, self.options.control_host, self.options.control_port
        )
        self.control_port = self.server.sockets[0].getsockname()[1]

    async def check_ready(self) -> list[str]:
        """Poll every agent once; the names of those that did not answer (empty: ready)."""
        missing = await unanswered(list(self.network.devices), self.options.worker.port)
        self.ready = not missing
        return missing

    async def _broadcast(self, command: dict[str, Any]) -> None:
        async with self._lock:
            answers = await asyncio.gather(
                *(asyncio.to_thread(_exchange, pipe, command) for pipe in self.pipes)
            )
        faults: dict[str, list[str]] = {}
        for answer in answers:
            if "error" in answer:
                raise LabError(answer["error"])
            faults.update(answer["faults"])
        self.faults = dict(sorted(faults.items()))

    async def inject(
        self,
        fault: str,
        target: str,
        delay_s: float = DEFAULT_SLOW_S,
        *,
        ms: float = 0.0,
        jitter_ms: float = 0.0,
        pct: float = 0.0,
        seed: int = 0,
    ) -> dict[str, Any]:
        """Inject a fault; `ms`/`jitter_ms` are `latency`'s, `pct` is `loss`'s, `seed` both's."""
        check_fault(fault)
        selection = self.targets.resolve(target)
        await self._broadcast(
            {
                "op": "inject",
                "fault": fault,
                "at": time.time(),
                "delay_s": delay_s,
                "ms": ms,
                "jitter_ms": jitter_ms,
                "pct": pct,
                "seed": seed,
                "devices": sorted(selection.devices),
                "ports": sorted(selection.ports),
            }
        )
        return {
            "fault": fault,
            "target": target,
            "devices": len(selection.devices),
            "ports": len(selection.ports),
        }

    async def clear(self, target: str | None = None) -> dict[str, Any]:
        if target is None:
            await self._broadcast({"op": "clear", "all": True, "at": time.time()})
            return {"cleared": "all"}
        selection = self.targets.resolve(target)
        await self._broadcast(
            {
                "op": "clear",
                "at": time.time(),
                "devices": sorted(selection.devices),
                "ports": sorted(selection.ports),
            }
        )
        return {"cleared": target, "devices": len(selection.devices)}

    async def handle(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """The control API's routes (see `control`)."""
        if path == "/status":
            if method != "GET":
                return 405, {"error": "use GET"}
            agents = len(self.network.devices)
            alive = sum(1 for process in self.processes if process.is_alive())
            ready = self.ready and alive == len(self.processes)  # a dead worker's agents are gone
            return 200, {"agents": agents, "ready": ready, "workers": alive}
        if path != "/faults":
            return 404, {"error": f"no such path {path!r}: use /faults or /status"}
        if method == "GET":
            return 200, {"faults": self.faults}
        if method == "POST":
            fault, target = body.get("fault"), body.get("target")
            if not isinstance(fault, str) or not isinstance(target, str):
                raise BadRequest('expected {"fault": "…", "target": "…"}')
            delay = body.get("delay_s", DEFAULT_SLOW_S)
            if not isinstance(delay, int | float) or isinstance(delay, bool) or delay <= 0:
                raise BadRequest("delay_s is a positive number of seconds")
            ms = _number(body, "ms", 0.0, 0.0, 60_000.0)
            if fault == "latency" and ms <= 0:
                raise BadRequest("latency needs ms, a positive number of milliseconds")
            pct = _number(body, "pct", 0.0, 0.0, 100.0)
            if fault == "loss" and pct <= 0:
                raise BadRequest("loss needs pct, a percentage above 0 and at most 100")
            seed = body.get("seed", 0)
            if not isinstance(seed, int) or isinstance(seed, bool):
                raise BadRequest("seed is an integer")
            return 200, await self.inject(
                fault,
                target,
                float(delay),
                ms=ms,
                jitter_ms=_number(body, "jitter_ms", 0.0, 0.0, 60_000.0),
                pct=pct,
                seed=seed,
            )
        if method == "DELETE":
            target = body.get("target")
            if target is not None and not isinstance(target, str):
                raise BadRequest("target is a string")
            return 200, await self.clear(target)
        return 405, {"error": "use GET, POST or DELETE"}

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send({"op": "stop"})
        for process in self.processes:
            await asyncio.to_thread(process.join, 5)
            if process.is_alive():
                process.terminate()
                await asyncio.to_thread(process.join, 5)
        for pipe in self.pipes:
            pipe.close()
        self.processes, self.pipes = [], []


def _number(body: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise BadRequest(f"{key} is a number from {low:g} to {high:g}")
    return float(value)


def _receive(pipe: Connection, timeout: float) -> dict[str, Any]:
    if not pipe.poll(timeout):
        return {"error": "a lab worker did not answer in time"}
    try:
        answer: dict[str, Any] = pipe.recv()
    except EOFError:
        return {"error": "a lab worker has died"}
    return answer


def _exchange(pipe: Connection, command: dict[str, Any]) -> dict[str, Any]:
    pipe.send(command)
    return _receive(pipe, 60.0)


async def run_lab(
    network: LabNetwork,
    options: LabOptions,
    say: Callable[[str], None] = print,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until `stop` is set (or the task is cancelled); say `ready` once every agent answers."""
    lab = Lab(network, options)
    started = time.monotonic()
    await lab.start()
    try:
        missing = await lab.check_ready()
        if missing:
            shown = ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")
            raise LabError(f"{len(missing)} agent(s) did not answer: {shown}")
        interfaces = sum(len(d.interfaces) for d in network.devices)
        say(
            f"ready: {len(network.devices)} agents, {interfaces} interfaces, "
            f"{len(lab.processes)} processes, {time.monotonic() - started:.1f} s; control API "
            f"http://{options.control_host}:{lab.control_port}/"
        )
        await (stop or asyncio.Event()).wait()
    finally:
        await lab.stop()
