"""`menhir web` (UI and API under gunicorn) and `menhir demo` (everything, embedded default)."""

from __future__ import annotations

import os
import secrets
import subprocess
from typing import Annotated, Any

import typer
from rich.console import Console

from menhir.bootstrap import setup_django

console = Console(soft_wrap=True)  # the banner's URLs and paths stay whole lines


def serve_wsgi(host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve the Django application with gunicorn in the foreground."""
    from gunicorn.app.base import BaseApplication

    from menhir.ops.logs import gunicorn_logger_class
    from menhir.wsgi import application

    class _App(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", os.environ.get("MENHIR_ACCESS_LOG", "-"))
            self.cfg.set("logger_class", gunicorn_logger_class())
            self.cfg.set("timeout", 120)

        def load(self) -> Any:
            return application

    _App().run()


def web_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
) -> None:
    """Serve the web UI and the REST API (default http://127.0.0.1:8000/)."""
    setup_django()
    serve_wsgi(host, port, workers=workers)


def ensure_demo_user(username: str = "admin") -> str:
    """Create (or reset) the demo administrator and return its password."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from core.accounts import set_role

    path = settings.DATA_DIR / "demo-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    password = path.read_text().strip()
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    set_role(user, "admin")
    return password


def demo_command(
    host: Annotated[str, typer.Option(help="Address the web UI listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port of the web UI.")] = 8000,
    outage_pop: Annotated[
        str, typer.Option(help="PoP the demo silences a few minutes in.")
    ] = "Lannion",
    outage_after: Annotated[int, typer.Option(help="Seconds before the PoP goes silent.")] = 180,
    outage_for: Annotated[int, typer.Option(help="Seconds the PoP stays silent.")] = 480,
    smtp_port: Annotated[int, typer.Option(help="Port of the demo's SMTP sink.")] = 2525,
) -> None:
    """Everything on the embedded default: database, reference network, lab, poller, web UI."""
    import threading

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from menhir import demo
    from simulation.seed import seed_reference_network

    console.print("[bold]Menhir demo[/bold]: migrating the database…")
    call_command("migrate", interactive=False, verbosity=0)
    summary = seed_reference_network(seed=1, progress=True)
    console.print(f"Reference network: {summary.describe()}")
    password = ensure_demo_user()
    from menhir.cli.sla import previous_month

    history_month = previous_month()
    console.print(f"Generating {history_month}'s history and its SLA reports…")
    reports = demo.sla_history(history_month)
    console.print("Writing a month of traffic history for the charts (in the background)…")
    history = threading.Thread(target=demo.traffic_history, args=(console.print,), daemon=True)
    history.start()
    logs = settings.DATA_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    mail_dir = settings.DATA_DIR / "demo-mail"
    demo.ensure_noc_route("noc@syndicat.example")
    console.print("Starting the lab (simulated SNMP agents of the whole network)…")
    lab = demo.start_lab(logs)
    env = demo.child_env(smtp_port)
    # Faster hysteresis than the contract default, so the demo's outage shows within minutes.
    env.setdefault("MENHIR_DETECT_N_DOWN", "3")
    env.setdefault("MENHIR_DETECT_N_UP", "3")
    stop = threading.Event()
    children: list[subprocess.Popen[Any]] = [lab]
    try:
        with demo.smtp_sink(mail_dir, smtp_port):
            children.append(demo.start_poller(logs, env))
            children.append(demo.start_prober(logs, env))
            threading.Thread(
                target=demo.outage_script,
                args=(outage_pop, outage_after, outage_for, stop),
                daemon=True,
            ).start()
            url = f"http://{host}:{port}/"
            console.rule("Menhir is ready")
            console.print(f"  Web UI:    {url}")
            console.print(f"  API:       {url}api/  (docs: {url}api/docs/)")
            console.print(f"  Login:     admin / {password}")
            console.print(f"  SLA:       {url}sla/ ({history_month}, one report per contract)")
            for reference, page, pdf in reports:
                console.print(f"             {reference}: {url}{page[1:]}  PDF: {url}{pdf[1:]}")
            console.print(
                f"  Polling:   every 60 s (log: {logs / 'poll.log'}); lab log: {logs / 'lab.log'}"
            )
            console.print(
                f"  Probing:   TWAMP-Light to each access link every slot ({logs / 'probe.log'})"
            )
            console.print(
                f"  Outage:    PoP {outage_pop} goes silent in {outage_after} s for {outage_for} s;"
            )
            console.print(
                f"             pages land in {mail_dir} (SMTP sink on 127.0.0.1:{smtp_port})"
            )
            console.print("  Stop with Ctrl-C.")
            serve_wsgi(host, port)
    finally:
        stop.set()
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except Exception:
                child.kill()
