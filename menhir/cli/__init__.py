"""The `menhir` command: Menhir's own commands, and every Django management command behind them.

`menhir migrate`, `menhir shell`, `menhir createsuperuser`… run Django's commands; `menhir --help`
lists Menhir's own.
"""

from __future__ import annotations

import sys

import typer

from menhir.bootstrap import setup_django
from menhir.cli.celery_roles import beat_command, worker_command
from menhir.cli.dashboards import dashboards_app
from menhir.cli.incidents import incidents_app
from menhir.cli.inventory import inventory_app
from menhir.cli.lab import lab_app
from menhir.cli.metrics import metrics_app
from menhir.cli.ops import backup_command, check_command, restore_command, stack_command
from menhir.cli.poll import poll_command
from menhir.cli.probe import probe_command
from menhir.cli.serve import demo_command, web_command
from menhir.cli.sla import sla_app
from menhir.cli.token import token_app, user_app
from menhir.cli.topology import topology_app

app = typer.Typer(
    name="menhir",
    help=(
        "Menhir: inventory and supervision of the regional broadband network.\n\n"
        "Every Django management command is also available: `menhir migrate`, `menhir shell`, "
        "`menhir createsuperuser`… (`menhir help` lists them)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
app.command("web")(web_command)
app.command("demo")(demo_command)
app.add_typer(incidents_app, name="incidents")
app.command("poll")(poll_command)
app.command("probe")(probe_command)
app.command("worker")(worker_command)
app.command("beat")(beat_command)
app.command("check")(check_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("stack")(stack_command)
app.add_typer(inventory_app, name="inventory")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")
app.add_typer(metrics_app, name="metrics")
app.add_typer(topology_app, name="topology")
app.add_typer(lab_app, name="lab")
app.add_typer(sla_app, name="sla")
app.add_typer(dashboards_app, name="dashboards")


def own_commands() -> set[str]:
    """Menhir's own top-level commands and command groups (the rest goes to Django)."""
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups if g.name}
    return names


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-") and args[0] not in own_commands():
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["menhir", *args])
        return
    app(args=args, prog_name="menhir")


if __name__ == "__main__":
    main()
