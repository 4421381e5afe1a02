"""End to end: `menhir poll`'s cycle (PollService.run_once) against the running SNMP lab, a link
saturated by the lab's `saturate` fault, the incident opened from the poller's own samples and the
page delivered to a real SMTP server; the fault cleared, the incident closes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from alerting.models import AlertRoute, Incident
from inventory.models import Link, Operator
from simulation.lab.control import call
from simulation.lab.inventory_adapter import load_network
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions
from tests.alerting.receivers import SmtpSink, smtp_sink
from tests.simulation.lab.small_network import build, pick_addresses

pytestmark = pytest.mark.django_db(transaction=True)
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def lab_network(tmp_path: Path) -> Iterator[tuple[str, SmtpSink]]:
    """The lab's small network in the database, its agents running, an SMTP sink listening."""
    build(pick_addresses())
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    lab = Lab(load_network(), LabOptions(control_port=0, workers=1, worker=WorkerOptions()))

    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

    run(lab.start())
    try:
        assert run(lab.check_ready()) == []
        with (
            smtp_sink() as smtp,
            override_settings(
                MENHIR_SMTP_HOST=smtp.host,
                MENHIR_SMTP_PORT=smtp.port,
                METRICS_SPOOL_DIR=tmp_path,
                MENHIR_SATURATION_PCT=80.0,
                MENHIR_SATURATION_MINUTES=2,
                MENHIR_CONDITION_CLEAR_MINUTES=1,
            ),
        ):
            yield f"http://127.0.0.1:{lab.control_port}", smtp
    finally:
        run(lab.stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def test_a_saturated_link_in_the_lab_pages_its_operator_once_then_recovers(
    lab_network: tuple[str, SmtpSink],
) -> None:
    from menhir.polling import PollService

    url, smtp = lab_network
    operator = Operator.objects.get(slug="fibre-ouest")
    AlertRoute.objects.create(
        name="Fibre Ouest NOC",
        operator=operator,
        channel="email",
        target="noc@fibre-ouest.example",
        min_severity="warning",
    )
    link = Link.objects.get(establishment__code="0350001A")
    service = PollService(interval_s=60)
    try:
        check_saturation(service, url, smtp, operator, f"sat:link:{link.pk}")
    finally:
        service.writer.close()  # its own database connection


def check_saturation(service: Any, url: str, smtp: SmtpSink, operator: Operator, key: str) -> None:
    call(url, "POST", "/faults", {"fault": "saturate", "target": "0350001A"})
    summaries = []
    for m in range(3):
        # Rates come from the real time between polls: a few seconds apart, the agent's and the
        # poller's timing jitter (a loaded machine) cannot push 98.5 % past the interface speed.
        if m:
            time.sleep(3)
        summaries.append(service.run_once(now=T0 + timedelta(minutes=m)))
    # Poll 1 has no rate yet (UNKNOWN); polls 2 and 3 see 98.5 % of the committed rate.
    assert [s.errors for s in summaries] == [0, 0, 0]
    incident = Incident.objects.get(element_key=key)
    assert incident.kind == "saturation"
    assert incident.operator == operator
    assert incident.start == T0 + timedelta(minutes=1)
    assert "Lycée Chateaubriand" in incident.root_name
    pages = [m for m in smtp.messages if f"#{incident.pk} " in m[2]["Subject"]]
    assert [m[1] for m in pages] == [["noc@fibre-ouest.example"]]
    assert pages[0][2]["X-Menhir-Event"] == "page"
    call(url, "DELETE", "/faults", {"target": "0350001A"})
    time.sleep(3)  # the next rate then covers the cleared link, not the saturated seconds
    service.run_once(now=T0 + timedelta(minutes=3))
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=3)
    events = [
        m[2]["X-Menhir-Event"] for m in smtp.messages if f"#{incident.pk} " in m[2]["Subject"]
    ]
    assert events == ["page", "recovery"]
