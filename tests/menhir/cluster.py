"""Real processes for the distributed-mode tests: `menhir worker`s, a private redis-server, and
the lab on the small network; plus the counts the tests check (samples per device)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from celery import Celery
from django.db import connection
from kombu import Connection

from simulation.lab.control import call
from simulation.lab.inventory_adapter import load_network
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions
from tests.poller.snmpd import worker_index

PORT_BASE = 27000  # this suite's own range: 27000-27099
MENHIR = str(Path(sys.executable).with_name("menhir"))


def private_port(offset: int) -> int:
    """A port of the range for this xdist worker: 10 per worker."""
    return PORT_BASE + worker_index() * 10 + offset


def database_url() -> str:
    s = connection.settings_dict
    host, port = quote(str(s["HOST"] or ""), safe=""), s["PORT"] or ""
    auth = quote(str(s["USER"] or "postgres"), safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(str(s["PASSWORD"]), safe="")
    return f"postgresql://{auth}@/{s['NAME']}?host={host}&port={port}"


@dataclass
class Names:
    """Queue names private to one test, so parallel runs never share a queue."""

    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:10])

    @property
    def control(self) -> str:
        return f"menhir-test-{self.tag}"

    @property
    def poll(self) -> str:
        return f"poll-test-{self.tag}"

    def all(self, regions: Iterable[str] = ()) -> list[str]:
        return [self.control, self.poll, *(f"{self.poll}.{r}" for r in regions)]


@dataclass
class Worker:
    """One `menhir worker` process (in its own session, so a SIGKILL takes its children too)."""

    name: str
    queues: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [MENHIR, "worker", "-Q", ",".join(self.queues), "-c", "1", "-n", self.name],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(lambda: b" ready." in self.log_path.read_bytes(), 60, f"{self.name} ready")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes, as a host dying would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


class RedisServer:
    """A private redis-server with an append-only file, so a restart keeps the queues.

    Private for real: its port is one the system had free (not a fixed one, which another
    checkout's or another CI job's run of the same test would share), and it counts as up
    only when the server answering on that port is this process. A shared one would be
    stopped or restarted empty by the other run, losing this run's tasks."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.port = port if port is not None else free_tcp_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (Debian package redis-server)")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            stdout=(self.directory / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_for(self._answers, 20, f"redis-server up on port {self.port}")
        return self

    def _answers(self) -> bool:
        """Whether this process is the server answering on the port (raises if it exited,
        e.g. because another process holds the port)."""
        import redis

        assert self.process is not None
        if self.process.poll() is not None:
            log = (self.directory / "redis.log").read_text(errors="replace").splitlines()
            raise RuntimeError(f"redis-server on port {self.port} exited: {log[-3:]}")
        try:
            info = redis.Redis(port=self.port, socket_timeout=1).info("server")
        except redis.RedisError:
            return False
        return bool(info.get("process_id") == self.process.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


def free_tcp_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now, chosen by the system."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningLab:
    """The lab's agents for whatever the database holds, in a thread of the test process."""

    def __init__(self, twamp_port: int | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        worker = WorkerOptions(twamp_port=twamp_port)
        self.lab = Lab(load_network(), LabOptions(control_port=0, workers=1, worker=worker))

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def start(self) -> RunningLab:
        self.thread.start()
        self.run(self.lab.start())
        missing = self.run(self.lab.check_ready())
        assert missing == [], missing
        return self

    def inject(self, fault: str, target: str, **extra: Any) -> None:
        url = f"http://127.0.0.1:{self.lab.control_port}"
        call(url, "POST", "/faults", {"fault": fault, "target": target, **extra})

    def clear(self) -> None:
        call(f"http://127.0.0.1:{self.lab.control_port}", "DELETE", "/faults", {})

    def stop(self) -> None:
        self.run(self.lab.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def sender(broker_url: str) -> tuple[Celery, Callable[[str, str, str], None]]:
    """A bare Celery client that sends shard tasks by name, as the dispatch task would."""
    client = Celery("menhir-test-client", broker=broker_url)

    def send(slot_iso: str, shard: str, queue: str) -> None:
        client.send_task("menhir.poll_shard", (slot_iso, shard), queue=queue)

    return client, send


def delete_queues(broker_url: str, names: Iterable[str]) -> None:
    with Connection(broker_url, connect_timeout=5) as conn:
        channel = conn.channel()
        for name in names:
            try:
                channel.queue_delete(name)
            except Exception:  # never declared by this test: nothing to clean
                channel = conn.channel()


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def device_samples(device_ids: Iterable[int], since: Any) -> dict[int, int]:
    """Device samples written per device since `since`: one per poll of that device."""
    ids = list(device_ids)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT device_id, count(*) FROM metrics_device_sample"
            " WHERE device_id = ANY(%s) AND time >= %s GROUP BY device_id",
            [ids, since],
        )
        counts = dict(cur.fetchall())
    return {d: counts.get(d, 0) for d in ids}
