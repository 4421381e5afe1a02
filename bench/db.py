"""A throwaway database holding the reference network, for benchmarks that need one."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator


@contextlib.contextmanager
def reference_database(seed: int = 1) -> Iterator[str]:
    """Create a new database on the server, migrate it, seed the reference network, and drop
    it afterwards. Yields the database name; Django's default connection points at it."""
    from menhir.database import ensure_database_url

    ensure_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menhir.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from inventory.seed import seed_reference_network

    name = f"menhir_bench_{uuid.uuid4().hex[:8]}"
    original = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", interactive=False, verbosity=0)
        seed_reference_network(seed=seed)
        yield name
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connections.close_all()
