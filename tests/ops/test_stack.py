"""`menhir stack` for real: Redis, the web server and the lab as processes on this machine,
health answered, a killed process restarted, and everything gone after Ctrl-C."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings
from django.test.utils import override_settings
from prometheus_client.parser import text_string_to_metric_families

from menhir.env import data_dir
from menhir.ops import checks, probes
from menhir.ops.stack import Options, plan, shared_env
from metrics.models import PollCycle
from simulation.lab.inventory_adapter import load_network
from tests.ops.conftest import subprocess_database_url
from tests.simulation.lab.small_network import build, pick_addresses

MENHIR = str(Path(sys.executable).parent / "menhir")
ROOT = Path(__file__).resolve().parents[2]
WEB_PORT, REDIS_PORT, LAB_PORT = 27610, 27611, 27612  # this checkout's range
TOKEN = "stack-scrape-token-0123456789"


def test_the_plan_follows_the_cli(tmp_path: Path) -> None:
    options = Options(data_dir=tmp_path, web_port=9000, redis_port=9001, lab_control_port=9002)
    without = [s.name for s in plan(options, {"web", "lab"})]
    assert without == ["redis", "web", "lab"]
    full = plan(options, {"web", "lab", "worker", "beat", "probe"})
    names = [s.name for s in full]
    # the poll shard tasks probe (MENHIR_PROBE_IN_SHARDS): no standalone prober beside workers
    assert names == ["redis", "web", "worker-1", "worker-2", "beat", "lab"]
    assert full[-1].argv[-2:] == ["--twamp-port", "862"]  # the port the shards probe
    assert shared_env(options)["MENHIR_PROBE_IN_SHARDS"] == "true"
    alone = plan(options, {"web", "lab", "probe"})
    assert [s.name for s in alone] == ["redis", "web", "lab", "prober"]
    assert alone[-1].argv[-1] == "probe"
    workers = [s.argv[-3:] for s in full if s.name.startswith("worker")]
    assert workers == [
        ["worker", "-Q", "menhir,poll,poll.29,poll.22"],
        ["worker", "-Q", "menhir,poll.35,poll.56"],
    ]
    external = plan(
        Options(data_dir=tmp_path, redis_url="redis://10.0.0.1:6379/0", lab=False), set()
    )
    assert [s.name for s in external] == ["web"]
    env = shared_env(options)
    assert env["REDIS_URL"] == "redis://127.0.0.1:9001/0"
    assert env["CELERY_BROKER_URL"] == "redis://127.0.0.1:9001/1"
    assert env["MENHIR_LAB_URL"] == "http://127.0.0.1:9002"
    assert env["MENHIR_METRICS_QUEUES"] == "menhir,poll,poll.29,poll.22,poll.35,poll.56"
    assert env["MENHIR_POLL_QUEUE_BY_REGION"] == "true"
    assert env["MENHIR_PROBE_TWAMP_PORT"] == "862"
    rabbit = shared_env(Options(data_dir=tmp_path, broker_url="amqp://guest:guest@h:5672//"))
    assert rabbit["CELERY_BROKER_URL"] == "amqp://guest:guest@h:5672//"


class Output:
    """The stack's output, read line by line by a thread (select() on a buffered pipe would
    miss lines already read into the buffer)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)

    def until(self, marker: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1.0)
            except queue.Empty:
                continue
            self.seen.append(line)
            if marker in line:
                return self.seen
        raise AssertionError(f"no {marker!r} line; output so far:\n{''.join(self.seen)}")

    def rest(self) -> str:
        while True:
            try:
                self.seen.append(self.lines.get(timeout=2.0))
            except queue.Empty:
                return "".join(self.seen)


def stack_env(data_dir: Path) -> dict[str, str]:
    """The test database, a private data folder, and this process's keys (the SNMP secrets the
    lab reads were encrypted with them)."""
    env = dict(
        os.environ,
        DATABASE_URL=subprocess_database_url(),
        MENHIR_DATA_DIR=str(data_dir),
        MENHIR_SECRET_KEY=settings.SECRET_KEY,
        MENHIR_SECRETS_KEY=settings.MENHIR_SECRETS_KEY,
        MENHIR_METRICS_TOKEN=TOKEN,
    )
    env.pop("MENHIR_EMBEDDED_DB", None)
    return env


def alive(pid: int) -> bool:
    return _signal_reaches(os.kill, pid)


def group_alive(pgid: int) -> bool:
    return _signal_reaches(os.killpg, pgid)


def _signal_reaches(send: Callable[[int, int], None], target: int) -> bool:
    try:
        send(target, 0)
    except ProcessLookupError:
        return False
    return True


def ctrl_c(process: subprocess.Popen[str]) -> None:
    """What a user does: Ctrl-C, then wait for the stack to stop (killed if it hangs)."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()


def wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.5)
    return False


@pytest.mark.django_db(transaction=True)
def test_stack_starts_supervises_and_stops_every_process(tmp_path: Path) -> None:
    build(pick_addresses())
    devices = len(load_network().devices)
    env = stack_env(tmp_path)
    process = subprocess.Popen(
        [
            MENHIR,
            "stack",
            "--web-port",
            str(WEB_PORT),
            "--redis-port",
            str(REDIS_PORT),
            "--lab-control-port",
            str(LAB_PORT),
            "--web-workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reader = Output(process)
    state_path = tmp_path / "stack" / "stack.json"
    seen: set[int] = set()
    try:
        output = reader.until("Menhir stack ready", 300)
        state = json.loads(state_path.read_text())
        pids: dict[str, int] = state["pids"]
        assert set(pids) >= {"redis", "web", "lab"}
        seen |= set(pids.values())
        assert all(alive(pid) for pid in pids.values())
        assert any(f"http://127.0.0.1:{WEB_PORT}/" in line for line in output)

        health, problem = probes.http_json(f"http://127.0.0.1:{WEB_PORT}/health")
        assert problem is None
        assert health["checks"]["database"]["status"] == "ok"
        assert probes.redis_ping(f"redis://127.0.0.1:{REDIS_PORT}/0") is None
        with override_settings(MENHIR_LAB_URL=f"http://127.0.0.1:{LAB_PORT}"):
            lab = checks.check_lab()
        assert [m.id for m in lab] == ["menhir.I041"]
        assert f"({devices} agents)" in lab[0].msg

        # One poll cycle against the lab: recorded, and scraped from the stack's web server.
        polled = subprocess.run(
            [MENHIR, "poll", "--once", "--json", "--no-detect"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert polled.returncode == 0, polled.stderr
        cycle = json.loads(polled.stdout.strip().splitlines()[-1])
        assert cycle["devices"] == devices
        assert cycle["devices_unreachable"] == 0
        # Beat and the workers close slots of their own meanwhile: the poll's row is its slot's.
        stat = PollCycle.objects.get(time=datetime.fromisoformat(cycle["slot_start"]))
        assert (stat.devices, stat.unreachable) == (devices, 0)
        assert stat.samples == cycle["samples_written"]
        request = urllib.request.Request(
            f"http://127.0.0.1:{WEB_PORT}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        values = {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }
        assert values[("menhir_poll_cycles", ())] >= 1
        assert ("menhir_poll_last_cycle_devices", ()) in values
        assert values[("menhir_broker_up", ())] == 1  # the stack's own Redis

        # Supervision: the web server dies, the stack starts it again.
        os.killpg(pids["web"], signal.SIGKILL)
        assert wait_for(
            lambda: json.loads(state_path.read_text())["pids"]["web"] != pids["web"], 60
        )
        new_web = json.loads(state_path.read_text())["pids"]["web"]
        seen.add(new_web)
        assert wait_for(
            lambda: probes.http_json(f"http://127.0.0.1:{WEB_PORT}/health")[1] is None, 120
        )
    finally:
        ctrl_c(process)
    rest = reader.rest()
    assert process.returncode == 0, rest
    assert "stopped." in rest
    assert not state_path.exists()
    assert not [pid for pid in seen if alive(pid) or group_alive(pid)]
    assert probes.redis_ping(f"redis://127.0.0.1:{REDIS_PORT}/0") is not None
    assert probes.http_json(f"http://127.0.0.1:{WEB_PORT}/health")[1] is not None


@pytest.mark.django_db(transaction=True)
def test_a_process_that_cannot_start_stops_the_stack_with_its_log(tmp_path: Path) -> None:
    # No device in the inventory: the lab refuses to start; the stack says so and stops.
    env = stack_env(tmp_path)
    result = subprocess.run(
        [
            MENHIR,
            "stack",
            "--web-port",
            str(WEB_PORT + 3),
            "--redis-port",
            str(REDIS_PORT + 3),
            "--lab-control-port",
            str(LAB_PORT + 3),
            "--web-workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "lab exited with status 1 while starting" in result.stderr
    assert "lab.log" in result.stderr
    log = (tmp_path / "stack" / "logs" / "lab.log").read_text()
    assert "nothing to simulate" in log
    assert "stopped." in result.stdout
    assert probes.redis_ping(f"redis://127.0.0.1:{REDIS_PORT + 3}/0") is not None


def test_stack_on_the_embedded_database_starts_and_stops_it() -> None:
    # The default `make stack`: no DATABASE_URL, a fresh data folder, the wheel's server.
    base = data_dir() / "ops-tests"
    base.mkdir(parents=True, exist_ok=True, mode=0o755)
    base.chmod(0o755)  # as root, the embedded server runs as its own user: it must get in
    folder = base / f"embedded-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o755)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MENHIR_EMBEDDED_DB"}}
    env.update(MENHIR_DATA_DIR=str(folder))
    process = subprocess.Popen(
        [
            MENHIR,
            "stack",
            "--no-lab",
            "--web-port",
            str(WEB_PORT + 5),
            "--redis-port",
            str(REDIS_PORT + 5),
            "--web-workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reader = Output(process)
    try:
        output = reader.until("Menhir stack ready", 300)
        assert any("on local socket" in line or str(folder) in line for line in output)
        assert (folder / "postgres" / "postmaster.pid").exists()
        health, problem = probes.http_json(f"http://127.0.0.1:{WEB_PORT + 5}/health")
        assert problem is None
        assert health["status"] == "ok"
    finally:
        ctrl_c(process)
    rest = reader.rest()
    try:
        assert process.returncode == 0, rest
        assert wait_for(lambda: not (folder / "postgres" / "postmaster.pid").exists(), 30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
