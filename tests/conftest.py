"""Test set-up. The database server itself is arranged by menhir.pytest_plugin (see pyproject)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.metrics.servers import TimescaleServer

# (not django_db_blocker: pytest-django's autouse fixtures request it for every test)
DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.hookimpl(tryfirst=True)  # before pytest's -m deselection reads the markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Mark what needs the database server, so CI's second pass can run just that (-m dbserver).
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & DB_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.dbserver)


@pytest.fixture(scope="session")
def timescale_server() -> Iterator[TimescaleServer]:
    """One private TimescaleDB per test process (its folder is named after the process: two
    instances in one process would share it), for the metrics and the operations tests."""
    server = TimescaleServer()
    try:
        server.start()  # fails loudly (RuntimeError) if TimescaleDB cannot be had: never skips
        yield server
    finally:
        server.destroy()
