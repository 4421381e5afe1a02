"""`menhir incidents`: the incidents, open first; `menhir incidents import-tickets` and
`import-maintenance`: an operator's CSV export, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from menhir.bootstrap import setup_django

incidents_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="List incidents: kind, root cause, operator, times, impact and pages sent.",
)

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The CSV export.")]
OperatorOpt = Annotated[str, typer.Option("--operator", help="The operator's slug or name.")]
TimezoneOpt = Annotated[
    str | None,
    typer.Option("--timezone", help="Time zone of times written without an offset (e.g. "
                 "Europe/Paris); without it such times are refused."),
]  # fmt: skip
UserOpt = Annotated[str | None, typer.Option(help="Record the changes under this user.")]


@incidents_app.callback()
def incidents_command(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only incidents still open.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array on stdout.")] = False,
) -> None:
    """List incidents: kind, root cause, operator, times, impact and pages sent."""
    if ctx.invoked_subcommand is not None:
        return
    setup_django()
    from alerting.listing import as_dict, incidents

    rows = [as_dict(i) for i in incidents(open_only)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"Incidents ({len(rows)})")
    for column in ("id", "kind", "root cause", "operator", "start", "end", "cut off", "pages"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["kind"],
            r["root_cause"]["name"],
            r["operator"] or "syndicate",
            r["start"][:16],
            (r["end"] or "open")[:16],
            str(r["impacted_establishments"]),
            str(r["pages_sent"]),
        )
    Console().print(table)


@incidents_app.command("import-tickets")
def import_tickets(
    file: FileArg, operator: OperatorOpt, timezone: TimezoneOpt = None, user: UserOpt = None
) -> None:
    """Import an operator's trouble tickets (CSV), all or nothing: each bad cell is reported."""
    _import("tickets", file, operator, timezone, user)


@incidents_app.command("import-maintenance")
def import_maintenance(
    file: FileArg, operator: OperatorOpt, timezone: TimezoneOpt = None, user: UserOpt = None
) -> None:
    """Import an operator's maintenance notices (CSV), all or nothing."""
    _import("maintenance", file, operator, timezone, user)


def _import(kind: str, file: Path, operator: str, timezone: str | None, user: str | None) -> None:
    setup_django()
    from alerting.importers import ImportFailed
    from alerting.importers.options import ImportOptionError, run_import

    try:
        result = run_import(kind, file.read_bytes(), operator, timezone, username=user)
    except ImportOptionError as refusal:
        typer.echo(f"error: {refusal}", err=True)
        raise typer.Exit(2) from None
    except ImportFailed as failure:
        for error in failure.errors:
            typer.echo(str(error), err=True)
        typer.echo(f"{file}: nothing imported ({len(failure.errors)} error(s)).", err=True)
        raise typer.Exit(1) from None
    typer.echo(result.describe())
