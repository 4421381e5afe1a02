"""`menhir lab …`: simulated SNMP agents for the whole inventory on loopback, and their faults."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Annotated

import typer

from menhir.bootstrap import setup_django

DEFAULT_URL = "http://127.0.0.1:8161"
FAULT_HELP = (
    "silent, agent-silent (SNMP only: probes still answered), iface-down, reboot, counter32, "
    "slow, saturate, garbage, "
    "latency (TWAMP-Light, --ms) or loss (TWAMP-Light, --pct)"
)
TARGET_HELP = "A device name, an establishment code, or pop:<name> (the PoP and all behind it)."

lab_app = typer.Typer(
    help=(
        "Simulated SNMP agents for every device of the inventory, each on its own loopback "
        "management address. `menhir lab` runs them; `inject` and `clear` drive a running lab."
    ),
    invoke_without_command=True,
)


def _url(url: str | None) -> str:
    return url or os.environ.get("MENHIR_LAB_URL", DEFAULT_URL)


@lab_app.callback()
def run(
    ctx: typer.Context,
    bind: Annotated[str, typer.Option(help="Address of the control API (loopback).")] = (
        "127.0.0.1"
    ),
    control_port: Annotated[int, typer.Option(help="Port of the control API.")] = 8161,
    port: Annotated[
        int | None,
        typer.Option(help="Serve every agent on this UDP port (default: its SNMP profile's)."),
    ] = None,
    workers: Annotated[int, typer.Option(help="Processes (0: one per core).")] = 0,
    codec: Annotated[str, typer.Option(help="fast (hand-written BER) or full (pyasn1).")] = "fast",
    twamp_port: Annotated[
        int, typer.Option(help="UDP port of every device's TWAMP-Light reflector.")
    ] = 862,
) -> None:
    """Run the agents in the foreground until stopped; print `ready` once every agent answers."""
    if ctx.invoked_subcommand is not None:
        return
    if not bind.startswith("127.") and bind != "localhost":
        raise typer.BadParameter("the control API listens on loopback only", param_hint="--bind")
    if codec not in ("fast", "full"):
        raise typer.BadParameter("expected fast or full", param_hint="--codec")
    setup_django()
    from simulation.lab.inventory_adapter import load_network
    from simulation.lab.supervisor import LabError, LabOptions, run_lab
    from simulation.lab.worker import WorkerOptions

    network = load_network()
    from django.db import connections

    connections.close_all()  # the lab runs for hours and never needs the database again
    if not network.devices:
        typer.echo("no device with a loopback management address: nothing to simulate", err=True)
        raise typer.Exit(1)
    options = LabOptions(
        control_host=bind,
        control_port=control_port,
        workers=workers,
        worker=WorkerOptions(port=port, codec=codec, twamp_port=twamp_port),
    )

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_lab(network, options, say=lambda line: typer.echo(line), stop=stop)

    try:
        asyncio.run(main())
    except LabError as error:
        typer.echo(f"lab: {error}", err=True)
        raise typer.Exit(1) from None


@lab_app.command("inject")
def inject(
    fault: Annotated[str, typer.Argument(help=FAULT_HELP)],
    target: Annotated[str, typer.Argument(help=TARGET_HELP)],
    delay: Annotated[float, typer.Option(help="Reply delay of `slow`, in seconds.")] = 5.0,
    ms: Annotated[float, typer.Option(help="Round trip `latency` adds, in ms.")] = 0.0,
    jitter_ms: Annotated[
        float, typer.Option(help="`latency`: each probe ± up to this many ms more.")
    ] = 0.0,
    pct: Annotated[float, typer.Option(help="Share of test packets `loss` drops, in %.")] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed of `loss`'s and the jitter's draws.")] = 0,
    url: Annotated[str | None, typer.Option(help=f"The lab (default {DEFAULT_URL}).")] = None,
) -> None:
    """Inject FAULT into TARGET of the running lab."""
    from simulation.lab.control import ControlError, call

    payload: dict[str, object] = {"fault": fault, "target": target, "delay_s": delay}
    if fault == "latency":
        payload.update(ms=ms, jitter_ms=jitter_ms, seed=seed)
    elif fault == "loss":
        payload.update(pct=pct, seed=seed)
    try:
        result = call(_url(url), "POST", "/faults", payload)
    except ControlError as error:
        typer.echo(f"lab: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{result['fault']} on {result['target']}: {result['devices']} device(s), "
        f"{result['ports']} link end(s)"
    )


@lab_app.command("clear")
def clear(
    target: Annotated[str | None, typer.Argument(help=TARGET_HELP + " Default: all.")] = None,
    url: Annotated[str | None, typer.Option(help=f"The lab (default {DEFAULT_URL}).")] = None,
) -> None:
    """Remove the faults of TARGET (all faults without TARGET)."""
    from simulation.lab.control import ControlError, call

    payload = {"target": target} if target else {}
    try:
        call(_url(url), "DELETE", "/faults", payload)
    except ControlError as error:
        typer.echo(f"lab: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"cleared {target or 'all faults'}")
