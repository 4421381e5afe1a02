"""`menhir inventory …`: load the reference network, import and export inventory files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from menhir.bootstrap import setup_django

inventory_app = typer.Typer(
    help="The inventory: reference network, bulk import and export.", no_args_is_help=True
)

MODELS = ("establishments", "devices", "interfaces", "links")


@inventory_app.command("seed")
def seed(
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same network.")
    ] = 1,
    scale: Annotated[
        int,
        typer.Option(
            "--scale",
            min=1,
            max=32,
            help="N regions of the reference network's shape (N × 2,026 establishments).",
        ),
    ] = 1,
) -> None:
    """Load the reference network (2,026 establishments). Running it again changes nothing."""
    setup_django()
    from simulation.seed import SeedConflict, seed_reference_network

    try:
        summary = seed_reference_network(seed=seed, progress=sys.stderr.isatty(), scale=scale)
    except SeedConflict as conflict:
        typer.echo(f"error: {conflict}", err=True)
        raise typer.Exit(1) from None
    typer.echo(summary.describe())


@inventory_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or YAML file.")],
    model: Annotated[
        str | None, typer.Option("--model", help=f"One of {', '.join(MODELS)}; required for CSV.")
    ] = None,
    user: Annotated[str | None, typer.Option(help="Record the changes under this user.")] = None,
) -> None:
    """Import FILE, all or nothing: a bad file changes nothing and each bad row is reported."""
    setup_django()
    from inventory.importers import ImportFailed, import_file

    try:
        result = import_file(file, model=model, username=user)
    except ImportFailed as failure:
        for error in failure.errors:
            typer.echo(str(error), err=True)
        typer.echo(f"{file}: nothing imported ({len(failure.errors)} error(s)).", err=True)
        raise typer.Exit(1) from None
    typer.echo(result.describe())


@inventory_app.command("export")
def export(
    model: Annotated[str, typer.Argument(help=f"One of {', '.join(MODELS)}.")],
    format: Annotated[str, typer.Option("--format", help="csv or yaml.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
) -> None:
    """Export every MODEL object as CSV or YAML (secrets are never exported)."""
    if model not in MODELS:
        raise typer.BadParameter(f"expected one of {', '.join(MODELS)}", param_hint="MODEL")
    if format not in ("csv", "yaml"):
        raise typer.BadParameter("expected csv or yaml", param_hint="--format")
    setup_django()
    from inventory.exporters import export_model

    text = export_model(model, format)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        typer.echo(f"wrote {output}", err=True)
