"""Shared fixtures of the operations tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

NOTHING_LISTENS = 27698  # in this checkout's port range (27600-27699): never bound


@pytest.fixture
def database_away() -> Iterator[None]:
    """Point Django's connection where no server listens (a real refused connection), then
    restore it."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    settings_dict["PORT"] = str(NOTHING_LISTENS)
    try:
        yield
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)


def subprocess_database_url() -> str:
    """A DATABASE_URL for subprocesses: the test database this process migrated."""
    s = connection.settings_dict
    if str(s["HOST"]).startswith("/"):
        return f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={s['HOST']}"
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
