"""`menhir backup FILE` / `menhir restore FILE`: the inventory, SLA, alerting and account data
(every Django table) in pg_dump's custom format, without the metrics time series (they are
large, and rebuilt by polling) unless asked, and without the web sessions (bearer credentials:
their table is dumped empty). The file is created readable by its owner only (0600).

A restore is one transaction: a damaged or foreign file changes nothing. The metrics tables are
never dropped by a restore of a backup that does not carry them; on an empty database they are
created afresh, so the migrations' record and the schema agree.
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from menhir.ops.pgtools import NoMatchingTool, Tool, choose, find_tools, libpq_env, server_major

log = logging.getLogger(__name__)
METRICS_PATTERN = "metrics_*"
# Bearer credentials: a session key from a backup would log in as its user. Their tables are
# dumped empty (the schema stays, so a restore still has them). API tokens are stored hashed.
CREDENTIAL_TABLES = ("django_session",)
# A table every Menhir database has: how a backup is told from any other dump.
MARKER_TABLE = "inventory_establishment"


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Plan:
    tool: Tool
    server_major: int


def _database() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def _conninfo(db: dict[str, Any]) -> str:
    from metrics.maintenance import conninfo_for

    return conninfo_for(db)


def plan(name: str) -> Plan:
    import psycopg

    try:
        major = server_major(_conninfo(_database()))
        return Plan(choose(find_tools(name), major, name), major)
    except psycopg.OperationalError as exc:
        raise BackupError(f"the database cannot be reached: {exc}") from exc
    except NoMatchingTool as exc:
        raise BackupError(str(exc)) from exc


def _run(argv: list[str], db: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=libpq_env(db), capture_output=True, text=True, check=False)


def backup(path: Path, *, with_metrics: bool = False) -> Plan:
    db = _database()
    chosen = plan("pg_dump")
    argv = [str(chosen.tool.path), "--format=custom", "--no-owner", "--no-privileges"]
    if not with_metrics:
        argv.append(f"--exclude-table={METRICS_PATTERN}")
    argv += [f"--exclude-table-data={table}" for table in CREDENTIAL_TABLES]
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    # Created owner-only before pg_dump writes into it: the dump is never readable by others.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    argv.append(f"--file={partial}")
    result = _run(argv, db)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.rename(path)  # a file under its final name is always a complete dump
    return chosen


def contents(path: Path, tool: Tool) -> list[str]:
    """The dump's table of contents; BackupError if it is not a Menhir backup."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    result = subprocess.run(
        [str(tool.path), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "unreadable"
        raise BackupError(f"{path}: not a pg_dump archive ({reason})")
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith(";")]
    if not any(f" TABLE DATA public {MARKER_TABLE} " in line for line in lines):
        raise BackupError(f"{path}: a pg_dump archive, but not a Menhir backup")
    return lines


def restore(path: Path) -> Plan:
    db = _database()
    chosen = plan("pg_restore")
    toc = contents(path, chosen.tool)
    carries_metrics = any(f" public {METRICS_PATTERN[:-1]}" in line for line in toc)
    argv = [
        str(chosen.tool.path),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={db['NAME']}",
        str(path),
    ]
    result = _run(argv, db)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing changed: {result.stderr.strip()}")
    if not carries_metrics:
        _ensure_metrics_schema(db)
    return chosen


def _ensure_metrics_schema(db: dict[str, Any]) -> None:
    import psycopg

    from metrics.schema import create_schema

    with psycopg.connect(_conninfo(db)) as conn:
        create_schema(conn)
