"""`menhir metrics …`: the time-series store's maintenance and spool."""

from __future__ import annotations

import typer

metrics_app = typer.Typer(
    help="Time-series store: maintenance, spool replay.", no_args_is_help=True
)


@metrics_app.command("maintain")
def maintain_command() -> None:
    """Create the coming days' partitions, bring rollups up to date, apply retention."""
    from menhir.bootstrap import setup_django

    setup_django()
    import psycopg

    from metrics.maintenance import conninfo_from_settings, maintain, policy_from_settings

    with psycopg.connect(conninfo_from_settings(), options="-c TimeZone=UTC") as conn:
        report = maintain(conn, policy_from_settings())
    typer.echo(f"partitions created: {len(report.partitions_created)}")
    for run in report.rollups:
        typer.echo(f"rollup {run.resolution}: {run.buckets} buckets, {run.rows} rows")
    typer.echo(f"partitions/chunks dropped: {len(report.dropped)}")


@metrics_app.command("replay")
def replay_command() -> None:
    """Replay the batches spooled while the database was away (oldest first)."""
    from menhir.bootstrap import setup_django

    setup_django()
    from metrics.maintenance import writer_from_settings

    with writer_from_settings() as writer:
        done = writer.replay()
        typer.echo(f"replayed {done} batches; {writer.pending_batches()} still spooled")
