"""`menhir demo`: the whole system on the embedded default, in one command.

Migrates and seeds the database, starts the lab (simulated agents of the whole network) and the
poller as child processes, a local SMTP sink that keeps the pages it receives, routes the NOC's
pages to it, then serves the web UI. A few minutes in, one PoP of the lab goes silent, then
comes back: the UI shows the incident, its impact, the page sent and the recovery.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

LAB_READY_TIMEOUT_S = 300


def _menhir() -> list[str]:
    return [sys.executable, "-m", "menhir.cli"]


def start_lab(log_dir: Path) -> subprocess.Popen[str]:
    """Start `menhir lab` and wait for its `ready` line."""
    log = (log_dir / "lab.log").open("w")
    proc = subprocess.Popen(
        [*_menhir(), "lab"], stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1
    )
    deadline = time.monotonic() + LAB_READY_TIMEOUT_S
    assert proc.stdout is not None
    for line in proc.stdout:
        log.write(line)
        log.flush()
        if "ready" in line:
            threading.Thread(target=_drain, args=(proc.stdout, log), daemon=True).start()
            return proc
        if time.monotonic() > deadline:
            break
    proc.terminate()
    raise RuntimeError(f"the lab did not become ready; see {log_dir / 'lab.log'}")


def _drain(stream: Any, log: Any) -> None:
    for line in stream:
        log.write(line)
        log.flush()


def start_poller(log_dir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = (log_dir / "poll.log").open("w")
    return subprocess.Popen([*_menhir(), "poll"], stdout=log, stderr=subprocess.STDOUT, env=env)


def start_prober(log_dir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`menhir probe`: TWAMP-Light to every access link's far end each slot (the lab reflects)."""
    log = (log_dir / "probe.log").open("w")
    return subprocess.Popen([*_menhir(), "probe"], stdout=log, stderr=subprocess.STDOUT, env=env)


@contextlib.contextmanager
def smtp_sink(mail_dir: Path, port: int) -> Iterator[None]:
    """A local SMTP server that writes every message it receives to `mail_dir` as .eml."""
    from aiosmtpd.controller import Controller

    mail_dir.mkdir(parents=True, exist_ok=True)

    class Keep:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 10**6}.eml"
            (mail_dir / name).write_bytes(envelope.content)
            return "250 kept by the demo's SMTP sink"

    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()


def received_mail(mail_dir: Path) -> list[dict[str, str]]:
    """The pages the sink kept, newest first, for the demo's mail page."""
    out = []
    for path in sorted(mail_dir.glob("*.eml"), reverse=True)[:50]:
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        out.append(
            {
                "file": path.name,
                "to": str(mail["To"]),
                "subject": str(mail["Subject"]),
                "date": path.name[:15],
                "body": mail.get_content(),
            }
        )
    return out


def ensure_noc_route(address: str) -> None:
    from alerting.models import AlertRoute

    AlertRoute.objects.get_or_create(
        name="Demo NOC e-mail",
        defaults={"channel": "email", "target": address, "min_severity": "warning"},
    )


def outage_script(pop: str, after_s: int, duration_s: int, stop: threading.Event) -> None:
    """Silence a PoP of the lab after `after_s`, bring it back `duration_s` later."""
    if stop.wait(after_s):
        return
    subprocess.run([*_menhir(), "lab", "inject", "silent", f"pop:{pop}"], check=False)
    if stop.wait(duration_s):
        return
    subprocess.run([*_menhir(), "lab", "clear", f"pop:{pop}"], check=False)


def child_env(smtp_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env["MENHIR_SMTP_HOST"] = "127.0.0.1"
    env["MENHIR_SMTP_PORT"] = str(smtp_port)
    return env


def sla_history(month: str, seed: int = 1) -> list[tuple[str, str, str]]:
    """Generate the demo's past month (monitoring, tickets, maintenance, claims) and evaluate
    each contract's report; (contract, report page, PDF) paths for the console."""
    from django.urls import reverse

    from inventory.models import Contract
    from simulation.sla_history import generate_history
    from sla.service import evaluate_month

    year, number = (int(part) for part in month.split("-"))
    generate_history(year, number, seed)
    out = []
    for contract in Contract.objects.order_by("reference"):
        evaluate_month(contract, year, number)
        kwargs = {"pk": contract.pk, "period": month}
        page = reverse("sla:report", kwargs=kwargs)
        pdf = reverse("sla:download", kwargs={**kwargs, "fmt": "pdf"})
        out.append((contract.reference, page, pdf))
    return out


def traffic_history(report: Any) -> None:
    """Write the month of traffic rollups before the first poll (simulation/traffic_history.py), on
    its own database connection, and `report` one line when done; run in a thread beside the
    lab and the poller, which write only after its end."""
    from django.db import connection

    from simulation.traffic_history import generate_traffic

    try:
        connection.ensure_connection()
        report(f"Traffic history: {generate_traffic(connection.connection).describe()}")
    except Exception as error:  # the demo goes on without charts' past; say why
        report(f"Traffic history not written: {error}")
    finally:
        connection.close()
