"""End to end, against the running lab (SNMP agents and TWAMP-Light reflectors): the prober's
slot (`prober.service.run_once`, stored in the metrics store) then the poll cycle
(`PollService.run_once`, which reads the probes back for its detection).

- A device whose SNMP agent is silent but which answers probes (`agent-silent`) opens no outage:
  a monitoring fault, a warning for the syndicate and no page to the operator, UNKNOWN for the
  SLA's collected runs; a device silent to both (`silent`) is down as before.
- Latency and loss above the service class's R15 targets for `MENHIR_QUALITY_MINUTES` open
  quality incidents that page the operator, closed as long after the fault is cleared.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from alerting.models import AlertRoute, Incident
from inventory.models import Device, Link, Operator
from simulation.lab.control import call
from simulation.lab.inventory_adapter import load_network
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions
from sla.collect import collect_runs
from sla.models import MonitoringRun
from tests.alerting.receivers import SmtpSink, smtp_sink
from tests.factories.inventory import ServiceClassFactory
from tests.simulation.lab.conftest import TWAMP_PORT
from tests.simulation.lab.small_network import build, pick_addresses

pytestmark = pytest.mark.django_db(transaction=True)
# Within the raw retention: each poll cycle's maintenance drops older partitions.
T0 = (datetime.now(UTC) - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)


def this_minute() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


LYCEE, CHU = "0350001A", "0290001C"


@pytest.fixture
def probed_lab(tmp_path: Path) -> Iterator[tuple[str, SmtpSink]]:
    """The small network, its agents and reflectors running, an SMTP sink, short hysteresis."""
    build(pick_addresses())
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    worker = WorkerOptions(twamp_port=TWAMP_PORT)
    lab = Lab(load_network(), LabOptions(control_port=0, workers=1, worker=worker))

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
                MENHIR_PROBE_TWAMP_PORT=TWAMP_PORT,
                MENHIR_POLL_INTERVAL=60,
                MENHIR_DETECT_N_DOWN=2,
                MENHIR_DETECT_N_UP=2,
                MENHIR_QUALITY_MINUTES=2,
            ),
        ):
            yield f"http://127.0.0.1:{lab.control_port}", smtp
    finally:
        run(lab.stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def routes() -> Operator:
    """The operator's NOC and the syndicate's own desk, both from `warning` up."""
    operator = Operator.objects.get(slug="fibre-ouest")
    AlertRoute.objects.create(
        name="Fibre Ouest NOC",
        operator=operator,
        channel="email",
        target="noc@fibre-ouest.example",
        min_severity="warning",
    )
    AlertRoute.objects.create(
        name="Syndicat",
        operator=None,
        channel="email",
        target="desk@syndicat.example",
        min_severity="warning",
    )
    return operator


def cycles(service: Any, minutes: range, t0: datetime = T0) -> None:
    """For each minute: the prober's slot (stored), then the poll cycle of the same slot."""
    from prober.service import run_once as probe_once

    for m in minutes:
        now = t0 + timedelta(minutes=m)
        probe_once(now=now)
        service.run_once(now=now)


def recipients(smtp: SmtpSink, incident: Incident) -> list[tuple[str, list[str]]]:
    return [
        (m[2]["X-Menhir-Event"], m[1])
        for m in smtp.messages
        if f"#{incident.pk} " in m[2]["Subject"]
    ]


def test_snmp_silent_but_probed_is_a_monitoring_fault_and_both_silent_is_down(
    probed_lab: tuple[str, SmtpSink],
) -> None:
    from menhir.polling import PollService

    url, smtp = probed_lab
    operator = routes()
    lycee = Device.objects.get(establishment__code=LYCEE)
    call(url, "POST", "/faults", {"fault": "agent-silent", "target": LYCEE})
    call(url, "POST", "/faults", {"fault": "silent", "target": CHU})
    service = PollService(interval_s=60)
    t0 = this_minute()  # the polls' samples carry the real time: the SLA reads them from t0 on
    try:
        cycles(service, range(3), t0)
        fault = Incident.objects.get(element_key=f"mon:device:{lycee.pk}")
        assert (fault.kind, fault.severity, fault.operator) == ("monitoring_fault", "warning", None)
        assert (fault.start, fault.end) == (t0, None)
        assert str(fault.get_kind_display()) == "Monitoring fault (SNMP agent silent)"
        # no outage for the Lycée: neither its site, its CPE nor its link
        assert not Incident.objects.filter(root_name__contains="Chateaubriand").exclude(
            kind="monitoring_fault"
        )
        assert recipients(smtp, fault) == [("page", ["desk@syndicat.example"])]
        subject = next(
            m[2]["Subject"] for m in smtp.messages if f"#{fault.pk} " in m[2]["Subject"]
        ).strip()
        assert (
            subject
            == f"[Menhir] WARNING #{fault.pk} Monitoring fault (SNMP agent silent): {lycee.name}"
        )
        outage = Incident.objects.get(kind="access_down", root_name__contains="CHU")
        assert (outage.operator, outage.start, outage.end) == (operator, t0, None)
        assert recipients(smtp, outage) == [("page", ["noc@fibre-ouest.example"])]

        # The SLA's collection, on the same samples and probes: the slots the cycles polled in
        # (real time, from t0) are UNKNOWN for the Lycée and DOWN for the CHU; the slots no poll
        # landed in are UNKNOWN for both.
        end = t0 + timedelta(minutes=3)
        collect_runs(t0, end, 60)
        states = {
            code: {
                r.state
                for r in MonitoringRun.objects.filter(
                    link__establishment__code=code, start__gte=t0, end__lte=end
                )
            }
            for code in (LYCEE, CHU)
        }
        assert states[LYCEE] == {"unknown"}
        assert "down" in states[CHU]  # the same cycles polled the Lycée: its slots are there

        call(url, "DELETE", "/faults", {})
        cycles(service, range(3, 5), t0)
        fault.refresh_from_db()
        assert fault.end == t0 + timedelta(minutes=3)  # the agent answers again: closed
    finally:
        service.writer.close()


def test_latency_and_loss_over_the_class_targets_open_and_close_quality_incidents(
    probed_lab: tuple[str, SmtpSink],
) -> None:
    from menhir.polling import PollService

    url, smtp = probed_lab
    operator = routes()
    link = Link.objects.get(establishment__code=LYCEE)
    assert link.contract is not None
    link.service_class = ServiceClassFactory.create(
        contract=link.contract,
        slug="kpi",
        kpi_rtt_ms=Decimal("20"),
        kpi_loss_pct=Decimal("1"),
        kpi_jitter_ms=Decimal("10"),
    )
    link.save()
    service = PollService(interval_s=60)
    try:
        call(url, "POST", "/faults", {"fault": "latency", "target": LYCEE, "ms": 40})
        cycles(service, range(2))
        latency = Incident.objects.get(element_key=f"rtt:link:{link.pk}")
        assert (latency.kind, latency.operator, latency.start) == ("latency", operator, T0)
        assert latency.end is None
        assert "Lycée Chateaubriand" in latency.root_name
        assert recipients(smtp, latency) == [("page", ["noc@fibre-ouest.example"])]
        assert not Incident.objects.exclude(pk=latency.pk)  # no loss, no jitter, no outage

        call(url, "DELETE", "/faults", {"target": LYCEE})
        cycles(service, range(2, 4))  # two slots back under 20 ms: closed
        latency.refresh_from_db()
        assert latency.end == T0 + timedelta(minutes=2)
        assert [e for e, _ in recipients(smtp, latency)] == ["page", "recovery"]

        # seed 7: 2 of the 5 probes of each of the next two slots are lost (40 % > 1 %)
        call(url, "POST", "/faults", {"fault": "loss", "target": LYCEE, "pct": 20, "seed": 7})
        cycles(service, range(4, 6))
        loss = Incident.objects.get(element_key=f"loss:link:{link.pk}")
        assert (loss.kind, loss.start, loss.end) == ("loss", T0 + timedelta(minutes=4), None)
        assert "40 %" in loss.root_name
        call(url, "DELETE", "/faults", {"target": LYCEE})
        cycles(service, range(6, 8))
        loss.refresh_from_db()
        assert loss.end == T0 + timedelta(minutes=6)
    finally:
        service.writer.close()
