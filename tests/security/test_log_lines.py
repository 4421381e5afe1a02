"""What the logs say of refused requests and acknowledgement links (issue 13, finding 13): a
403 is one line, not a traceback; an acknowledgement token never reaches the access log."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.accounts import set_role
from tests.ops.conftest import subprocess_database_url

MENHIR = str(Path(sys.executable).parent / "menhir")
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ZmFrZS1hY2stdG9rZW4tdGhhdC1pcy1sb25n"


@pytest.mark.django_db
def test_a_403_is_logged_in_one_line(caplog: pytest.LogCaptureFixture) -> None:
    user = get_user_model().objects.create_user(username="reader")
    set_role(user, "read")
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/audit/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    assert all(r.exc_info is None and r.exc_text is None for r in records)
    assert all("\n" not in r.getMessage() for r in records)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_the_access_log_masks_acknowledgement_tokens(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "access.log"
    env = dict(
        os.environ,
        DATABASE_URL=subprocess_database_url(),
        PYTHONPATH=str(ROOT),
        MENHIR_ACCESS_LOG=str(log),
    )
    env.pop("MENHIR_EMBEDDED_DB", None)
    web = subprocess.Popen(
        [MENHIR, "web", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/alerting/ack/{TOKEN}/"
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except urllib.error.HTTPError:
                break  # an answer (the token is not valid): what the log is about
            except OSError:
                time.sleep(0.25)
        for _ in range(40):
            if log.exists() and "/ack/" in log.read_text():
                break
            time.sleep(0.25)
    finally:
        web.terminate()
        web.wait(timeout=30)
    text = log.read_text()
    assert "/alerting/ack/***/" in text
    assert TOKEN not in text
