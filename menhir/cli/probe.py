"""`menhir probe`: active measurement (TWAMP-Light or ICMP echo, per device) of every access link,
into the metrics store."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from menhir.bootstrap import setup_django


def probe_command(
    once: Annotated[
        bool, typer.Option("--once", help="Probe every access link once, print a summary, exit.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --once: one JSON object.")] = False,
    store: Annotated[bool, typer.Option(help="Write the results to the metrics store.")] = True,
) -> None:
    """Probe every access link's far end each slot: sent, lost, RTT min/median/max, jitter.

    Without --once, one round per slot (MENHIR_POLL_INTERVAL), at the slot's start.
    """
    setup_django()
    from django.conf import settings

    from prober.service import run_once

    if once:
        run, _ = run_once(store=store)
        summary: dict[str, object] = {
            "targets": run.targets,
            "sent": run.sent,
            "answered": run.answered,
            "lost": run.sent - run.answered,
            "rtt_ms_median": run.rtt_ms_median,
            "duration_s": run.duration_s,
            "problems": run.problems,
        }
        if run.icmp_socket is not None:  # raw, datagram or refused: how ICMP could be sent
            summary["icmp_socket"] = run.icmp_socket
        if as_json:
            typer.echo(json.dumps(summary))
        else:
            typer.echo(
                f"{run.targets} links probed, {run.answered}/{run.sent} probes answered, median "
                f"RTT {run.rtt_ms_median} ms, {run.duration_s:.1f} s"
            )
        return
    interval = int(settings.MENHIR_POLL_INTERVAL)
    while True:
        time.sleep(interval - time.time() % interval)
        run, _ = run_once(store=store)
        typer.echo(
            f"{run.targets} links, {run.answered}/{run.sent} answered, {run.duration_s:.1f} s",
            err=True,
        )
