"""`menhir lab` as a user runs it: from the database, `ready` once every agent answers, faults."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from typer.testing import CliRunner

from menhir.cli import app
from simulation.lab.inventory_adapter import load_network
from tests.simulation.lab.client import SYS_UPTIME, get, values
from tests.simulation.lab.small_network import build, pick_addresses

ROOT = Path(__file__).resolve().parents[3]
MENHIR = str(Path(sys.executable).parent / "menhir")


def url_of_the_test_database() -> str:
    s = connection.settings_dict
    if str(s["HOST"]).startswith("/"):
        return f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={s['HOST']}"
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def read_until_ready(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1.0)
        if ready:
            line = process.stdout.readline()
            if "ready" in line:
                return line
            if not line and process.poll() is not None:
                break
    raise AssertionError(
        f"no ready line; stderr: {process.stderr.read() if process.stderr else ''}"
    )


@pytest.mark.django_db(transaction=True)
def test_lab_command_says_ready_and_takes_faults_from_the_cli() -> None:
    build(pick_addresses())
    network = load_network()
    env = dict(os.environ, DATABASE_URL=url_of_the_test_database())
    process = subprocess.Popen(
        [MENHIR, "lab", "--control-port", "0", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = read_until_ready(process, 120)
        assert f"{len(network.devices)} agents" in line
        url = line.rsplit("control API ", 1)[1].strip().rstrip("/")
        lycee = next(d for d in network.devices if d.name == "cpe-0350001a")
        assert values(get(lycee, SYS_UPTIME))
        runner = CliRunner()
        injected = runner.invoke(app, ["lab", "inject", "silent", "0350001A", "--url", url])
        assert injected.exit_code == 0, injected.output
        assert "silent on 0350001A: 1 device(s)" in injected.output
        assert get(lycee, SYS_UPTIME, timeout=0.5, retries=0)[0] is not None
        unknown = runner.invoke(app, ["lab", "inject", "silent", "pop:Nowhere", "--url", url])
        assert unknown.exit_code == 1
        assert "404" in unknown.output
        cleared = runner.invoke(app, ["lab", "clear", "--url", url])
        assert cleared.exit_code == 0, cleared.output
        assert values(get(lycee, SYS_UPTIME))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    assert process.returncode == 0


def test_inject_without_a_running_lab_fails_clearly() -> None:
    result = CliRunner().invoke(app, ["lab", "clear", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "no lab answers" in result.output


def test_lab_refuses_a_control_api_outside_loopback_and_an_unknown_codec() -> None:
    runner = CliRunner()
    outside = runner.invoke(app, ["lab", "--bind", "0.0.0.0"])
    assert outside.exit_code == 2
    assert "loopback only" in outside.output
    codec = runner.invoke(app, ["lab", "--codec", "turbo"])
    assert codec.exit_code == 2
    assert "fast or full" in codec.output
