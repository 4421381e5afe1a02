"""`menhir web` (UI and API under gunicorn) and `menhir demo` (everything, embedded default)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated, Any

import typer
from rich.console import Console

from menhir.bootstrap import setup_django

console = Console()


def serve_wsgi(host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve the Django application with gunicorn in the foreground."""
    from gunicorn.app.base import BaseApplication

    from menhir.wsgi import application

    class _App(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", os.environ.get("MENHIR_ACCESS_LOG", "-"))
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
) -> None:
    """Create the database, load the reference network and serve the web UI."""
    setup_django()
    from django.core.management import call_command

    from inventory.seed import seed_reference_network

    console.print("[bold]Menhir demo[/bold]: migrating the database…")
    call_command("migrate", interactive=False, verbosity=0)
    summary = seed_reference_network(seed=1, progress=True)
    console.print(f"Reference network: {summary.describe()}")
    password = ensure_demo_user()
    url = f"http://{host}:{port}/"
    console.rule("Menhir is ready")
    console.print(f"  Web UI:  {url}")
    console.print(f"  API:     {url}api/  (docs: {url}api/docs/)")
    console.print(f"  Login:   admin / {password}")
    console.print("  Stop with Ctrl-C.")
    serve_wsgi(host, port)
