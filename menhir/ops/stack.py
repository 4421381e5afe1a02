"""`menhir stack` (`make stack`): the docker-compose topology as plain processes on this machine.

PostgreSQL (the embedded server, or DATABASE_URL), a private Redis (the broker and cache), the
web server, two workers on two queues, beat and the lab — each a real process, started in order,
each waited for until it answers, restarted if it dies, and all stopped (process group by process
group, in reverse order) on Ctrl-C.

The process list is data (`plan()`), built from what the `menhir` command offers: the Celery
roles appear when the CLI has `worker` and `beat`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from menhir.ops import probes

Probe = Callable[[], str | None]  # None: ready; else why not yet
READY_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 20.0
MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0
MENHIR = [sys.executable, "-m", "menhir.cli"]


@dataclass
class Options:
    data_dir: Path
    web_port: int = 8000
    redis_port: int = 6380
    lab_control_port: int = 8161
    lab_snmp_port: int | None = None
    twamp_port: int = 862  # the lab's reflectors and the prober's probes (MENHIR_PROBE_TWAMP_PORT)
    # Each worker also takes the control queue (`menhir`) so either one dispatches and closes
    # slots; shards go per department (MENHIR_POLL_QUEUE_BY_REGION), core routers to `poll`.
    queues: tuple[str, str] = ("menhir,poll,poll.29,poll.22", "menhir,poll.35,poll.56")
    web_workers: int = 2
    lab: bool = True
    redis_url: str = ""  # given: use it instead of starting a private Redis
    broker_url: str = ""  # given: use it (e.g. the machine's RabbitMQ) instead of the Redis


@dataclass
class Spec:
    name: str
    argv: list[str]
    probe: Probe | None = None
    url: str = ""
    env: dict[str, str] = field(default_factory=dict)


def http_ok(url: str) -> Probe:
    def probe() -> str | None:
        _, problem = probes.http_json(url)
        return problem

    return probe


def redis_ok(url: str) -> Probe:
    return lambda: probes.redis_ping(url)


def plan(options: Options, commands: set[str]) -> list[Spec]:
    """The processes of the stack, in start order (stopped in reverse)."""
    specs: list[Spec] = []
    redis_url = options.redis_url or f"redis://127.0.0.1:{options.redis_port}/0"
    if not options.redis_url:
        redis_dir = options.data_dir / "stack" / "redis"
        specs.append(
            Spec(
                "redis",
                [
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(options.redis_port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(redis_dir),
                ],
                probe=redis_ok(redis_url),
                url=redis_url,
            )
        )
    web = f"http://127.0.0.1:{options.web_port}"
    specs.append(
        Spec(
            "web",
            [
                *MENHIR,
                "web",
                "--host",
                "127.0.0.1",
                "--port",
                str(options.web_port),
                "--workers",
                str(options.web_workers),
            ],
            probe=http_ok(f"{web}/health"),
            url=f"{web}/",
        )
    )
    if "worker" in commands:
        for number, queue in enumerate(options.queues, start=1):
            specs.append(Spec(f"worker-{number}", [*MENHIR, "worker", "-Q", queue], url=queue))
    if "beat" in commands:
        specs.append(Spec("beat", [*MENHIR, "beat"]))
    if options.lab and "lab" in commands:
        lab = f"http://127.0.0.1:{options.lab_control_port}"
        argv = [*MENHIR, "lab", "--control-port", str(options.lab_control_port)]
        argv += ["--twamp-port", str(options.twamp_port)]
        if options.lab_snmp_port:
            argv += ["--port", str(options.lab_snmp_port)]
        specs.append(Spec("lab", argv, probe=http_ok(f"{lab}/status"), url=f"{lab}/status"))
    if "probe" in commands and "worker" not in commands:
        # Without workers, a standalone prober; with them, each poll shard task probes its own
        # devices' access links in its slot (MENHIR_PROBE_IN_SHARDS, set for every child).
        specs.append(Spec("prober", [*MENHIR, "probe"]))
    return specs


def shared_env(options: Options) -> dict[str, str]:
    """What every child sees: one database, one broker, one lab, one data folder."""
    redis_url = options.redis_url or f"redis://127.0.0.1:{options.redis_port}/0"
    env = {
        "MENHIR_DATA_DIR": str(options.data_dir),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": options.broker_url or redis_url.rsplit("/", 1)[0] + "/1",
        "PYTHONUNBUFFERED": "1",
        "MENHIR_POLL_QUEUE_BY_REGION": "true",
        "MENHIR_PROBE_TWAMP_PORT": str(options.twamp_port),
        "MENHIR_PROBE_IN_SHARDS": "true",
        "MENHIR_METRICS_QUEUES": ",".join(
            dict.fromkeys(q for queues in options.queues for q in queues.split(","))
        ),
    }
    if options.lab:
        env["MENHIR_LAB_URL"] = f"http://127.0.0.1:{options.lab_control_port}"
    return env


@dataclass
class Running:
    spec: Spec
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    restarts: list[float] = field(default_factory=list)


class StackError(RuntimeError):
    pass


class StackInterrupted(StackError):
    """Ctrl-C before everything was up: a clean stop, not a failure."""


class Supervisor:
    """Starts the specs in order and keeps them running until stop()."""

    def __init__(
        self,
        specs: list[Spec],
        env: dict[str, str],
        log_dir: Path,
        say: Callable[[str], None],
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.specs = specs
        self.env = {**os.environ, **env}
        self.log_dir = log_dir
        self.say = say
        self.on_change = on_change  # a process was (re)started: the pid file is rewritten
        self.running: list[Running] = []
        self.stopping = False
        self.stop_requested = False  # set from a signal handler: Ctrl-C, SIGTERM

    def _spawn(self, spec: Spec) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"{spec.name}.log", "ab")  # noqa: SIM115  (kept open)
        process = subprocess.Popen(
            spec.argv,
            env={**self.env, **spec.env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's workers go with it
        )
        self.running.append(Running(spec, process, log))
        return process

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for spec in self.specs:
            if spec.argv[0] == "redis-server":
                Path(spec.argv[spec.argv.index("--dir") + 1]).mkdir(parents=True, exist_ok=True)
            process = self._spawn(spec)
            self._wait_ready(spec, process)
            self.say(f"  {spec.name:<9} pid {process.pid:<7} {spec.url}")
            self.on_change()

    def _wait_ready(self, spec: Spec, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        problem: str | None = "not started"
        while time.monotonic() < deadline:
            if self.stop_requested:
                raise StackInterrupted(f"stopped while {spec.name} was starting")
            if process.poll() is not None:
                raise StackError(
                    f"{spec.name} exited with status {process.returncode} while starting "
                    f"(log: {self.log_dir / (spec.name + '.log')})"
                )
            problem = spec.probe() if spec.probe else None
            if problem is None:
                return
            time.sleep(0.5)
        raise StackError(f"{spec.name} not ready after {READY_TIMEOUT_S:.0f} s: {problem}")

    def pids(self) -> dict[str, int]:
        return {r.spec.name: r.process.pid for r in self.running}

    def watch_once(self) -> None:
        """Restart what died; give up (StackError) on a process that keeps dying."""
        for entry in list(self.running):
            code = entry.process.poll()
            if code is None or self.stopping:
                continue
            now = time.monotonic()
            entry.restarts = [t for t in entry.restarts if now - t < RESTART_WINDOW_S] + [now]
            if len(entry.restarts) > MAX_RESTARTS:
                raise StackError(f"{entry.spec.name} keeps exiting (status {code}); giving up")
            self.say(f"{entry.spec.name} exited with status {code}: restarting")
            self.running.remove(entry)
            entry.log.close()
            restarted = self._spawn(entry.spec)
            self.running[-1].restarts = entry.restarts
            self.say(f"  {entry.spec.name:<9} pid {restarted.pid}")
            self.on_change()

    def stop(self) -> None:
        """SIGTERM each process group, last started first; SIGKILL what outlives the timeout."""
        self.stopping = True
        for entry in reversed(self.running):
            _signal_group(entry.process, signal.SIGTERM)
            try:
                entry.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.say(f"{entry.spec.name} ignored SIGTERM: killing it")
                _signal_group(entry.process, signal.SIGKILL)
                entry.process.wait()
            _signal_group(entry.process, signal.SIGKILL)  # stragglers left in its group
            entry.log.close()
        self.running.clear()


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def write_state(path: Path, supervisor: Supervisor, extra: dict[str, Any]) -> None:
    """`stack.json`: the pids and URLs of the running stack, for scripts and tests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({"pids": supervisor.pids(), **extra}, indent=2))
    partial.rename(path)
