"""`menhir poll`: the polling cycles, in-process (the embedded mode; Celery runs the same cycle)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from menhir.bootstrap import setup_django


def poll_command(
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="Poll every device once (whatever its role's interval), print a summary, exit.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --once: one JSON object.")] = False,
    interval: Annotated[
        int | None, typer.Option(help="Seconds per cycle (MENHIR_POLL_INTERVAL).")
    ] = None,
    detect: Annotated[
        bool, typer.Option(help="Run outage detection and paging each cycle.")
    ] = True,
) -> None:
    """Poll every device of the inventory over SNMP, store the samples, detect outages.

    Without --once, cycles run forever, one per interval, each polling the device roles due
    (MENHIR_POLL_INTERVALS); an overrun is reported, not piled up.
    """
    setup_django()
    from menhir.polling import PollService
    from poller.schedule import ScheduleError

    try:
        service = PollService(interval, detect=detect)
    except ScheduleError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        if once:
            summary = service.run_once(everything=True)
            if as_json:
                typer.echo(json.dumps(summary.public(), ensure_ascii=False))
            else:
                spooled = " (spooled: database away)" if summary.spooled else ""
                typer.echo(
                    f"{summary.devices} devices polled ({summary.devices_unreachable} unreachable),"
                    f" {summary.interfaces} interfaces, {summary.samples_written} samples written"
                    f"{spooled}, {summary.errors} errors, {summary.duration_s:.1f} s; incidents"
                    f" opened {summary.incidents_opened}, closed {summary.incidents_closed},"
                    f" pages sent {summary.pages_sent}"
                )
                for line in summary.error_samples:
                    typer.echo(f"  {line}", err=True)
            return
        typer.echo(f"polling {service.schedule.describe()}", err=True)
        service.run_forever()
    finally:
        service.close()
