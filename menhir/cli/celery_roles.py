"""`menhir worker` and `menhir beat`: the Celery roles of the distributed polling mode."""

from __future__ import annotations

from typing import Annotated

import typer

from menhir.bootstrap import setup_django

BROKER_SCHEMES = ("amqp", "amqps", "pyamqp", "redis", "rediss")


def check_broker_url() -> None:
    """Refuse, before Celery retries it forever, a broker URL Menhir does not support."""
    from urllib.parse import urlsplit

    from django.conf import settings

    scheme = urlsplit(settings.CELERY_BROKER_URL).scheme
    if scheme not in BROKER_SCHEMES:
        typer.echo(
            f"CELERY_BROKER_URL: unsupported scheme {scheme!r}; expected amqp:// (RabbitMQ) or"
            " redis://",
            err=True,
        )
        raise typer.Exit(2)


def default_queues() -> str:
    """The control queue and the shards' queue; with queues per region, every region's too."""
    from django.conf import settings

    from poller.shards import plan_shards

    queues = [settings.MENHIR_CELERY_QUEUE, settings.MENHIR_POLL_QUEUE]
    if settings.MENHIR_POLL_QUEUE_BY_REGION:
        queues += sorted({s.queue(settings.MENHIR_POLL_QUEUE, True) for s in plan_shards()})
    return ",".join(dict.fromkeys(queues))


def worker_command(
    queues: Annotated[
        str | None,
        typer.Option("-Q", "--queues", help="Comma-separated queues (default: all of them)."),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option("-c", "--concurrency", help="Worker processes (default: CPUs).")
    ] = None,
    hostname: Annotated[
        str | None, typer.Option("-n", "--hostname", help="Node name (default: celery@host).")
    ] = None,
    loglevel: Annotated[str, typer.Option("-l", "--loglevel")] = "INFO",
) -> None:
    """Run a Celery worker: polls the shards of its queues, and runs dispatch and detection."""
    if concurrency is not None and concurrency < 1:
        raise typer.BadParameter("at least 1", param_hint="--concurrency")
    setup_django()
    check_broker_url()
    from menhir.celery import app

    argv = ["worker", "--loglevel", loglevel, "-Q", queues or default_queues()]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    if hostname:
        argv += ["--hostname", hostname]
    app.worker_main(argv)


def beat_command(
    schedule: Annotated[
        str | None, typer.Option("-s", "--schedule", help="Beat's state file.")
    ] = None,
    loglevel: Annotated[str, typer.Option("-l", "--loglevel")] = "INFO",
) -> None:
    """Run Celery beat: sends one dispatch per slot (MENHIR_POLL_INTERVAL), aligned on it."""
    setup_django()
    check_broker_url()
    from menhir.celery import app
    from menhir.env import data_dir

    path = schedule or str(data_dir() / "celerybeat-schedule")
    app.start(["beat", "--loglevel", loglevel, "--schedule", path])
