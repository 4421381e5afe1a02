"""A throwaway database holding the reference network, for benchmarks that need one."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator


@contextlib.contextmanager
def reference_database(
    seed: int = 1, scale: int = 1, timings: dict[str, float] | None = None
) -> Iterator[str]:
    """Create a new database on the server, migrate it, seed the reference network (`scale`
    regions of it: `menhir inventory seed --scale`), and drop it afterwards. Yields the database
    name; Django's default connection points at it. `timings` receives the seconds spent
    migrating and seeding."""
    from menhir.database import ensure_database_url

    ensure_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menhir.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from simulation.seed import seed_reference_network

    name = f"menhir_bench_{uuid.uuid4().hex[:8]}"
    original = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    connection.settings_dict["NAME"] = name
    try:
        began = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        migrated = time.perf_counter()
        seed_reference_network(seed=seed, scale=scale)
        if timings is not None:
            timings["migrate"] = migrated - began
            timings["seed"] = time.perf_counter() - migrated
        yield name
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connections.close_all()
