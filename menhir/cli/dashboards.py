"""`menhir dashboards …`: Grafana as code — build the JSON, push it, grant the read-only role."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

dashboards_app = typer.Typer(
    help="Grafana dashboards: build the JSON, push to a Grafana, the read-only DB role.",
    no_args_is_help=True,
)
STALE = 1
BAD_INPUT = 2


@dashboards_app.command("build")
def build_command(
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if the files are stale.")
    ] = False,
    root: Annotated[
        Path | None,
        typer.Option("--root", help="Directory holding build/ and provisioning/ (tests)."),
    ] = None,
) -> None:
    """Render the dashboards into dashboards/grafana/build/ (deterministic JSON) and the alert
    rules into dashboards/grafana/provisioning/alerting/."""
    from dashboards.grafana import render

    build_dir = root or render.ROOT
    if check:
        report = render.check(build_dir)
        for name in report.stale:
            typer.echo(f"stale: {name}")
        for name in report.extra:
            typer.echo(f"not built by any dashboard: {name}")
        if report.stale or report.extra:
            typer.echo("run `menhir dashboards build`", err=True)
            raise typer.Exit(STALE)
        typer.echo(f"up to date: {len(render.BOARDS)} dashboards")
        return
    report = render.build(build_dir)
    for name in report.written:
        typer.echo(f"wrote {build_dir / name}")
    for name in report.extra:
        typer.echo(f"removed {build_dir / name}")
    if not report.written and not report.extra:
        typer.echo(f"up to date: {len(render.BOARDS)} dashboards")


@dashboards_app.command("push")
def push_command(
    url: Annotated[str, typer.Option("--url", help="Grafana's base URL.")],
    token: Annotated[
        str,
        typer.Option(
            "--token",
            envvar="MENHIR_GRAFANA_TOKEN",
            help="Service-account token (Editor).",
            show_default=False,
        ),
    ],
    folder: Annotated[str, typer.Option("--folder", help="Folder title.")] = "Menhir",
    contact_email: Annotated[
        str | None, typer.Option("--contact-email", help="Page these addresses (;-separated).")
    ] = None,
    contact_webhook: Annotated[
        str | None, typer.Option("--contact-webhook", help="Page this webhook URL.")
    ] = None,
    alerts: Annotated[
        bool, typer.Option("--alerts/--no-alerts", help="Provision the alert rules too.")
    ] = True,
) -> None:
    """Push the dashboards (update in place by uid), the alert rules and the NOC contact point."""
    from dashboards.grafana.push import Contact, PushError, connect, push

    if contact_email and contact_webhook:
        typer.echo("error: give --contact-email or --contact-webhook, not both", err=True)
        raise typer.Exit(BAD_INPUT)
    contact = None
    if contact_email:
        contact = Contact("email", contact_email)
    elif contact_webhook:
        contact = Contact("webhook", contact_webhook)
    try:
        report = push(connect(url, token), folder=folder, contact=contact, alerts=alerts)
    except (ValueError, PushError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    created = "created" if report.folder_created else "exists"
    typer.echo(f"folder {report.folder_uid} ({created})")
    typer.echo(f"dashboards: {', '.join(report.dashboards)}")
    if report.contact_point:
        typer.echo(f"contact point: {report.contact_point}")
    if alerts:
        typer.echo(
            f"alert rules: {len(report.rules_created)} created, {len(report.rules_updated)} updated"
        )


@dashboards_app.command("grant-readonly")
def grant_readonly_command() -> None:
    """Create or refresh `<database>_grafana_ro`: SELECT on what the dashboards read, nothing else.

    Its password is MENHIR_GRAFANA_DB_PASSWORD when set (never printed).
    """
    from menhir.bootstrap import setup_django

    setup_django()
    import psycopg
    from django.conf import settings

    from dashboards.grafana.readonly import grant_readonly
    from metrics.maintenance import conninfo_from_settings

    password = settings.MENHIR_GRAFANA_DB_PASSWORD or None
    try:
        with psycopg.connect(conninfo_from_settings(), autocommit=True) as conn:
            grant = grant_readonly(conn, password)
    except (LookupError, psycopg.Error) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    state = "created" if grant.created else "refreshed"
    typer.echo(f"role {grant.role} {state}: SELECT on {len(grant.tables)} tables")
