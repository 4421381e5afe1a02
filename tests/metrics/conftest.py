"""Both backends for every metrics test: plain PostgreSQL (native partitions) and a private
TimescaleDB (hypertables). Each gets a database migrated by Django (the metrics migration picks
the backend by detection), and every test starts from empty tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connections
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from metrics import schema
from tests.metrics.servers import worker_name

BACKENDS = ["partitions", "timescaledb"]


def _django_settings(conninfo: str) -> dict[str, Any]:
    # Built from the conninfo alone: Django may have read its settings before the embedded
    # server's DATABASE_URL was known.
    params = conninfo_to_dict(conninfo)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": params["dbname"],
        "USER": params.get("user", ""),
        "PASSWORD": params.get("password", ""),
        "HOST": params.get("host", ""),
        "PORT": str(params.get("port", "")),
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {},
        "TIME_ZONE": None,
        "TEST": {"NAME": params["dbname"], "MIGRATE": True, "MIRROR": None},
    }


def _create_database(admin_conninfo: str, name: str) -> str:
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_conninfo(admin_conninfo, dbname=name)


@pytest.fixture(scope="session", params=BACKENDS)
def metrics_database(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[tuple[str, str]]:
    """(conninfo, Django alias) of a migrated database on the parametrized backend.

    After django_db_setup, so that pytest-django never sees (and never "sets up") this alias.
    """
    backend = request.param
    if backend == "timescaledb":
        admin = request.getfixturevalue("timescale_server").conninfo
    else:
        admin = make_conninfo(_default_conninfo(), dbname="postgres")
    name = f"menhir_metrics_{backend}_{worker_name()}"
    conninfo = _create_database(admin, name)
    alias = f"metrics_{backend}"
    connections.settings[alias] = _django_settings(conninfo)
    with django_db_blocker.unblock():
        call_command("migrate", database=alias, verbosity=0)
        connections[alias].close()
    with psycopg.connect(conninfo) as conn:
        detected = schema.detect_backend(conn)
    assert detected.value == backend, f"{backend} database detected as {detected}"
    yield conninfo, alias
    with django_db_blocker.unblock():
        connections[alias].close()
    del connections.settings[alias]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _default_conninfo() -> str:
    import os

    return os.environ["DATABASE_URL"]


CLEAN_SQL = """
TRUNCATE metrics_interface_sample, metrics_device_sample, metrics_interface_5m,
         metrics_interface_1h, metrics_interface_1d, metrics_status_event,
         metrics_rollup_pending, metrics_rollup_watermark, metrics_link_probe,
         metrics_link_probe_5m, metrics_link_probe_1h, metrics_link_probe_1d,
         inventory_link, inventory_interface, inventory_device, inventory_establishment,
         inventory_commune, inventory_department, inventory_operator CASCADE
"""


@pytest.fixture
def backend(metrics_database: tuple[str, str]) -> str:
    return metrics_database[1].removeprefix("metrics_")


@pytest.fixture
def conninfo(metrics_database: tuple[str, str]) -> Iterator[str]:
    url = metrics_database[0]
    yield url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(CLEAN_SQL)
        if not schema.timescaledb_installed(conn):
            for table in schema.TIME_TABLES:
                for name in schema.existing_partitions(conn, table).values():
                    conn.execute(f'DROP TABLE "{name}"')


@pytest.fixture
def conn(conninfo: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(conninfo, options="-c TimeZone=UTC") as connection:
        yield connection


@pytest.fixture
def alias(
    conninfo: str, metrics_database: tuple[str, str], django_db_blocker: Any
) -> Iterator[str]:
    """The Django alias of the test's database, open to the ORM for building inventory rows."""
    name = metrics_database[1]
    with django_db_blocker.unblock():
        yield name
        connections[name].close()


SERVER_FIXTURES = {"metrics_database", "server_process", "timescale_server"}


@pytest.hookimpl(tryfirst=True)  # before pytest's -m deselection reads the markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # These tests need PostgreSQL servers too: CI's second pass (-m dbserver) runs them again
    # with the plain backend on the machine's own server.
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.dbserver)
