"""Seed wall time: the whole reference network into an empty database, then the no-op re-run.

The benchmark creates a throwaway database on the server DATABASE_URL points at (the embedded one
when it is unset), migrates it and seeds it in a child process (Django binds its database when it
starts), then drops it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

from bench.figures import Figure

CHILD = """
import json, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from simulation.seed import seed_reference_network
t0 = time.perf_counter(); first = seed_reference_network(seed=1)
t1 = time.perf_counter(); again = seed_reference_network(seed=1)
t2 = time.perf_counter()
print(json.dumps({"seed": t1 - t0, "again": t2 - t1, "interfaces": first.created["interfaces"],
                  "changed_again": again.changed}))
"""


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run() -> list[Figure]:
    import psycopg
    from psycopg import sql

    from menhir.database import ensure_database_url

    url = ensure_database_url()
    name = f"menhir_bench_seed_{uuid.uuid4().hex[:8]}"
    admin = _with_db(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        env = dict(os.environ, DATABASE_URL=_with_db(url, name))
        env.setdefault("DJANGO_SETTINGS_MODULE", "menhir.settings")
        out = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    if result["changed_again"]:
        raise RuntimeError("the second seeding run changed the database")
    return [
        Figure("seed_wall_time", result["seed"], "s"),
        Figure("seed_rerun_wall_time", result["again"], "s"),
        Figure("seed_interfaces_per_second", result["interfaces"] / result["seed"], "interfaces/s"),
    ]
