"""Operations commands: `menhir check`, `menhir backup` / `menhir restore`, `menhir stack`."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from menhir.bootstrap import setup_django

T = TypeVar("T")


def check_command(
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Also Django's own deployment (security) checks.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per message.")] = False,
) -> None:
    """Check the configuration, the database, the broker, TimescaleDB and the lab.

    Errors (a misconfiguration) exit with status 1; warnings (an optional component missing or
    down) and information exit 0.
    """
    setup_django()
    from django.core import checks

    from menhir.ops.checks import TAG

    found = checks.run_checks(databases=["default"])
    found += checks.run_checks(tags=[TAG], include_deployment_checks=True, databases=["default"])
    if deploy:
        found += checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    found.sort(key=lambda m: (-m.level, m.id or ""))
    errors = [m for m in found if m.level >= checks.ERROR]
    for message in found:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "level": _level(message.level),
                        "id": message.id,
                        "message": message.msg,
                        "hint": message.hint,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            hint = f"\n        hint: {message.hint}" if message.hint else ""
            typer.echo(f"{_level(message.level):<7} {message.id}: {message.msg}{hint}")
    if not as_json:
        warnings = sum(1 for m in found if checks.WARNING <= m.level < checks.ERROR)
        typer.echo(f"{len(errors)} error(s), {warnings} warning(s).")
    if errors:
        raise typer.Exit(1)


def _level(level: int) -> str:
    from django.core import checks

    for name, value in (("ERROR", checks.ERROR), ("WARNING", checks.WARNING)):
        if level >= value:
            return name
    return "INFO"


def _or_exit(action: Callable[[], T]) -> T:
    """Run a backup or restore; its BackupError is one line on stderr and exit status 1."""
    from menhir.ops.backup import BackupError

    try:
        return action()
    except BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def backup_command(
    file: Annotated[Path, typer.Argument(help="The backup file to write (pg_dump custom format).")],
    with_metrics: Annotated[
        bool, typer.Option("--with-metrics", help="Also the metrics time series (large).")
    ] = False,
) -> None:
    """Back up the inventory, SLA, alerting and account data (pg_dump of the server's version)."""
    setup_django()
    from menhir.ops.backup import backup

    chosen = _or_exit(lambda: backup(file, with_metrics=with_metrics))
    typer.echo(
        f"{file}: {file.stat().st_size} bytes, written by {chosen.tool.path} "
        f"(PostgreSQL {chosen.server_major} server)"
    )


def restore_command(
    file: Annotated[Path, typer.Argument(help="A file written by `menhir backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask: replace the database's data.")
    ] = False,
) -> None:
    """Replace the inventory, SLA, alerting and account data with a backup's, in one
    transaction (stop the web server and the workers first)."""
    setup_django()
    from menhir.ops.backup import restore

    if not yes:
        typer.confirm(f"Replace this database's data with {file}?", abort=True)
    chosen = _or_exit(lambda: restore(file))
    typer.echo(f"{file}: restored with {chosen.tool.path}")


def stack_command(
    web_port: Annotated[int, typer.Option(help="Port of the web server.")] = 8000,
    redis_port: Annotated[int, typer.Option(help="Port of the stack's own Redis.")] = 6380,
    lab_control_port: Annotated[int, typer.Option(help="Port of the lab's control API.")] = 8161,
    lab_snmp_port: Annotated[
        int | None, typer.Option(help="UDP port of every lab agent (default: their profiles').")
    ] = None,
    queues: Annotated[
        str,
        typer.Option(
            help="The two workers' queues: two comma-separated lists, separated by a semicolon."
        ),
    ] = "menhir,poll,poll.29,poll.22;menhir,poll.35,poll.56",
    web_workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    lab: Annotated[bool, typer.Option(help="Run the lab (simulated SNMP agents).")] = True,
    redis_url: Annotated[
        str,
        typer.Option(
            help="Use this Redis instead of starting one.", envvar="MENHIR_STACK_REDIS_URL"
        ),
    ] = "",
    broker_url: Annotated[
        str, typer.Option(help="Use this broker (e.g. RabbitMQ) instead of the stack's Redis.")
    ] = "",
) -> None:
    """The production topology without Docker: database, Redis, web, two workers, beat, lab,
    prober — one process each; Ctrl-C stops them all."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from menhir.cli import own_commands
    from menhir.database import stop_embedded
    from menhir.ops.stack import (
        Options,
        StackError,
        StackInterrupted,
        Supervisor,
        plan,
        shared_env,
        write_state,
    )

    pair = [q.strip() for q in queues.split(";") if q.strip()]
    if len(pair) != 2:
        raise typer.BadParameter("expected two queue lists", param_hint="--queues")
    options = Options(
        data_dir=settings.DATA_DIR,
        web_port=web_port,
        redis_port=redis_port,
        lab_control_port=lab_control_port,
        lab_snmp_port=lab_snmp_port,
        twamp_port=int(settings.MENHIR_PROBE_TWAMP_PORT),
        queues=(pair[0], pair[1]),
        web_workers=web_workers,
        lab=lab,
        redis_url=redis_url,
        broker_url=broker_url,
    )
    typer.echo("menhir stack: migrating the database…")
    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()
    import os

    commands = own_commands()
    specs = plan(options, commands)
    missing = [role for role in ("worker", "beat") if role not in commands]
    env = shared_env(options)
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    state = settings.DATA_DIR / "stack" / "stack.json"
    urls = {spec.name: spec.url for spec in specs}
    supervisor = Supervisor(
        specs,
        env,
        settings.DATA_DIR / "stack" / "logs",
        typer.echo,
        on_change=lambda: write_state(state, supervisor, {"urls": urls}),
    )

    def _stop(signum: int, frame: Any) -> None:
        supervisor.stop_requested = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    code = 0
    try:
        typer.echo(f"database  {_where(settings.DATABASES['default'])}")
        supervisor.start()
        if missing:
            typer.echo(f"(this menhir has no {' / '.join(missing)} command: not started)")
        typer.echo(f"Menhir stack ready: http://127.0.0.1:{web_port}/ (logs: {supervisor.log_dir})")
        typer.echo("Stop with Ctrl-C.")
        while not supervisor.stop_requested:
            supervisor.watch_once()
            time.sleep(0.5)
    except StackInterrupted as exc:
        typer.echo(str(exc))
    except StackError as exc:
        typer.echo(f"error: {exc}", err=True)
        code = 1
    finally:
        typer.echo("stopping…")
        supervisor.stop()
        state.unlink(missing_ok=True)
        stop_embedded()
        typer.echo("stopped.")
    if code:
        raise typer.Exit(code)


def _where(db: dict[str, Any]) -> str:
    host = db.get("HOST") or "local socket"
    return f"PostgreSQL {db.get('NAME')} on {host}{':' + str(db['PORT']) if db.get('PORT') else ''}"
