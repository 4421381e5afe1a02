"""From the first failed poll to the page, end to end: real poll cycles, the lab, a PoP failure.

The reference network is seeded into a throwaway database and served by the lab. `menhir poll`'s
own cycle (`PollService.run_once`: poll, write, detect, correlate, page) runs every interval,
aligned on slots, over the devices a PoP failure concerns: the PoP with the most establishments
behind it, everything behind it, and every canary (so the collector is seen to be fine). The
fault is injected through the lab's control API; the page goes by SMTP to a real aiosmtpd sink.

Figures: seconds from the start of the first cycle whose polls fail to the e-mail's arrival
(bound: n_down cycles + 5 s), and the number of e-mails a PoP failure with hundreds of sites
behind it sends (one). Knobs: BENCH_PAGING_INTERVAL_S (20: a cycle must end within its slot, or the
next slot is a gap, UNKNOWN), BENCH_PAGING_N_DOWN (3),
BENCH_PAGING_SNMP_PORT (27160; the SMTP sink takes the next port).
"""

from __future__ import annotations

import os
import sys
import time
from email import message_from_bytes
from email.message import Message
from typing import Any

from bench.figures import Figure
from bench.lab_run import running_lab

INTERVAL_S = int(os.environ.get("BENCH_PAGING_INTERVAL_S", "20"))
N_DOWN = int(os.environ.get("BENCH_PAGING_N_DOWN", "3"))
SNMP_PORT = int(os.environ.get("BENCH_PAGING_SNMP_PORT", "27160"))
SMTP_PORT = SNMP_PORT + 1
CONCURRENCY = 500  # a silent device holds its slot for a whole timeout: poll them all at once
EXTRA_CYCLES = 2  # cycles after the page that must not page again


class Sink:
    """aiosmtpd handler keeping each message with the wall-clock time it arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[float, Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((time.time(), message_from_bytes(envelope.content)))
        return "250 kept by the benchmark"


def _next_slot() -> float:
    """Sleep until the next slot boundary; return it (epoch seconds)."""
    now = time.time()
    boundary = (int(now) // INTERVAL_S + 1) * INTERVAL_S
    time.sleep(boundary - now)
    return float(boundary)


def _say(summary: Any) -> float:
    keys = (
        "devices",
        "devices_unreachable",
        "duration_s",
        "incidents_opened",
        "pages_sent",
        "collector_isolated",
        "slot_start",
    )
    print("# paging cycle:", {k: getattr(summary, k) for k in keys}, file=sys.stderr, flush=True)
    return float(summary.duration_s)


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from aiosmtpd.controller import Controller
        from django.conf import settings
        from django.db import connections

        from alerting.live import LiveContext
        from alerting.models import AlertRoute, Incident
        from bench.bench_alerting import worst_pop_failure
        from inventory.models import Device, SNMPProfile
        from menhir.polling import PollService
        from simulation.lab.inventory_adapter import load_network

        settings.MENHIR_SMTP_HOST, settings.MENHIR_SMTP_PORT = "127.0.0.1", SMTP_PORT
        settings.MENHIR_DETECT_N_DOWN = N_DOWN
        settings.MENHIR_POLL_CONCURRENCY = CONCURRENCY
        SNMPProfile.objects.update(port=SNMP_PORT)
        AlertRoute.objects.create(
            name="bench NOC", channel="email", target="noc@bench.invalid", min_severity="warning"
        )
        context = LiveContext.load()
        element, cut, down = worst_pop_failure(context.net)
        scope = {int(node.split(":")[1]) for node in down | set(context.canaries)}
        network = load_network()
        connections.close_all()
        sink = Sink()
        smtp = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
        smtp.start()
        try:
            with running_lab(network) as lab:
                service = PollService(INTERVAL_S, devices=Device.objects.filter(pk__in=scope))
                try:
                    _next_slot()  # a healthy cycle: counters, the detectors' first slot
                    durations = [_say(service.run_once())]
                    if sink.received:
                        raise RuntimeError("a page before any fault")
                    lab.api("POST", "/faults", {"fault": "silent", "target": f"pop:{element.name}"})
                    first_failed = None
                    unreachable = 0
                    for _ in range(N_DOWN + EXTRA_CYCLES):
                        started = _next_slot()
                        summary = service.run_once()
                        durations.append(_say(summary))
                        if first_failed is None:
                            first_failed, unreachable = started, summary.devices_unreachable
                finally:
                    service.close()
                    lab.api("DELETE", "/faults", {})
            incidents = list(Incident.objects.all())
        finally:
            smtp.stop()
    if not sink.received or first_failed is None:
        raise RuntimeError(f"no page received; incidents: {incidents}")
    latency = sink.received[0][0] - first_failed
    bound = N_DOWN * INTERVAL_S + 5
    impacted = max((i.impacted_count for i in incidents), default=0)
    return [
        Figure("paging_first_failed_poll_to_email", latency,
               f"s (n_down {N_DOWN}, cycles every {INTERVAL_S} s)", bound,
               "the bound: n_down cycles + 5 s"),
        Figure(f"paging_pop_failure_{len(cut.isolated)}_sites_emails", len(sink.received),
               f"e-mails over {N_DOWN + EXTRA_CYCLES} failed cycles ({unreachable} devices "
               f"unreachable, {len(incidents)} incident(s), {impacted} establishments impacted)"),
        Figure("paging_cycle_duration_max", max(durations),
               f"s ({len(scope)} devices polled; interval {INTERVAL_S} s)"),
    ]  # fmt: skip
