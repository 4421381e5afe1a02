"""`menhir incidents`: the incidents, open first."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from menhir.bootstrap import setup_django


def incidents_command(
    open_only: Annotated[bool, typer.Option("--open", help="Only incidents still open.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array on stdout.")] = False,
) -> None:
    """List incidents: kind, root cause, operator, times, impact and pages sent."""
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
