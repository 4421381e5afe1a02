"""`menhir topology …`: single points of failure, failure impact and graph export."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from menhir.bootstrap import setup_django

if TYPE_CHECKING:
    from topology.analysis import Network

topology_app = typer.Typer(
    help="The network as a graph: SPOFs, impact, export.", no_args_is_help=True
)
console = Console()


def _network() -> Network:
    setup_django()
    from topology.analysis import Network
    from topology.loader import load_graph

    return Network(load_graph())


@topology_app.command("spof")
def spof_command(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array on stdout.")] = False,
) -> None:
    """List the PoPs, routers and backbone links whose failure alone isolates establishments."""
    from topology.reports import breakdown, single_homed, spof

    net = _network()
    entries = spof(net)
    if as_json:
        rows = [
            {
                "id": e.element.id,
                "kind": e.element.kind,
                "name": e.element.name,
                "isolated_establishments": len(e.impact.isolated),
                "degraded_establishments": len(e.impact.degraded),
            }
            for e in entries
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"Single points of failure ({len(entries)})")
    for column in ("kind", "name", "isolated", "degraded", "isolated by category"):
        table.add_column(column, justify="right" if column in ("isolated", "degraded") else "left")
    for e in entries:
        cats = ", ".join(
            f"{k} {v}" for k, v in breakdown(net, e.impact.isolated, "category").items()
        )
        table.add_row(
            e.element.kind,
            e.element.name,
            str(len(e.impact.isolated)),
            str(len(e.impact.degraded)),
            cats,
        )
    console.print(table)
    console.print(
        f"{len(single_homed(net))} establishments are single-homed: their own CPE and access "
        "link are single points of failure too."
    )


def _site_list(net: Network, sites: Iterable[str]) -> list[dict[str, object]]:
    from topology.reports import site_refs

    return site_refs(net, sites)


@topology_app.command("impact")
def impact_command(
    element: Annotated[
        str, typer.Argument(help="A PoP or device name, link:<id>, pop:<name> or operator:<name>.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
) -> None:
    """Which establishments a failure of ELEMENT isolates, and which only lose redundancy."""
    from topology.reports import UnknownElement, breakdown, element_impact, resolve_element

    net = _network()
    try:
        target = resolve_element(net, element)
    except UnknownElement as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    found = element_impact(net, target)
    if as_json:
        typer.echo(json.dumps({
            "element": {"kind": target.kind, "id": target.id, "name": target.name},
            "isolated_establishments": _site_list(net, found.isolated),
            "degraded_establishments": _site_list(net, found.degraded),
        }, ensure_ascii=False, indent=1))  # fmt: skip
        return
    console.print(f"[bold]{target.kind} {target.name}[/bold] fails:")
    console.print(
        f"  isolated: {len(found.isolated)} establishments "
        f"{breakdown(net, found.isolated, 'category')}"
    )
    console.print(f"  degraded: {len(found.degraded)} establishments (lose redundancy)")
    for site in _site_list(net, found.isolated):
        console.print(f"    {site['code']}  {site['name']}")


@topology_app.command("export")
def export_command(
    format: Annotated[str, typer.Option("--format", help="graphml or json (node-link).")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
    pop: Annotated[str | None, typer.Option(help="Only this PoP's subtree (PoP name).")] = None,
) -> None:
    """Export the whole graph, or one PoP's subtree, as GraphML or JSON."""
    if format not in ("graphml", "json"):
        raise typer.BadParameter("expected graphml or json", param_hint="--format")
    setup_django()
    from inventory.models import Pop
    from topology.export import to_graphml, to_json
    from topology.loader import load_graph

    pop_id = None
    if pop is not None:
        found = Pop.objects.filter(name__iexact=pop).values_list("id", flat=True).first()
        if found is None:
            typer.echo(f"error: no PoP named {pop!r}", err=True)
            raise typer.Exit(2)
        pop_id = found
    g = load_graph(pop_id)
    text = to_graphml(g) if format == "graphml" else to_json(g)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        typer.echo(
            f"wrote {output} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", err=True
        )


@topology_app.command("discover")
def discover_command(
    source: Annotated[
        str,
        typer.Option(
            help="napalm: devices with a NAPALM platform; snmp: LLDP-MIB of every polled device."
        ),
    ] = "napalm",
    mock_dir: Annotated[
        Path | None,
        typer.Option(help="Read each device through NAPALM's mock driver from DIR/<device name>/."),
    ] = None,
    device: Annotated[
        list[str] | None, typer.Option(help="Only these devices (repeatable).")
    ] = None,
) -> None:
    """Ask devices for their LLDP neighbours (NAPALM getters or SNMP) and report drift."""
    if source not in ("napalm", "snmp"):
        raise typer.BadParameter("expected napalm or snmp", param_hint="--source")
    if source == "snmp" and mock_dir is not None:
        raise typer.BadParameter("--mock-dir reads NAPALM recordings", param_hint="--source")
    setup_django()
    from topology.discovery.runs import discover

    done = discover(source, device, mock_dir)
    run = done.run
    for name, reason in done.skipped:
        typer.echo(f"{name}: skipped ({reason})", err=True)
    for name, error in sorted(run.errors.items()):
        typer.echo(f"{name}: {error}", err=True)
    table = Table(
        title=f"Drift ({run.findings.count()} findings, {run.devices_queried} devices read)"
    )
    for column in ("kind", "A", "Z", "detail"):
        table.add_column(column)
    for f in run.findings.all():
        table.add_row(f.kind, f"{f.a_device} {f.a_port}", f"{f.z_device} {f.z_port}", f.detail)
    console.print(table)
