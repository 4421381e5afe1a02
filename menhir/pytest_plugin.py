"""pytest plugin (loaded with `-p menhir.pytest_plugin`): a database server before Django loads.

pytest-django reads the settings while pytest loads its initial conftests, earlier than any
conftest hook runs; this hook wraps that step, so DATABASE_URL points at a server (the embedded
one when unset) by the time the settings are imported.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from menhir.database import ensure_database_url


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests() -> Generator[None, None, None]:
    ensure_database_url()
    # The tests read the interface in English unless they choose French (tests/i18n): the
    # product's default is French.
    os.environ.setdefault("MENHIR_LANGUAGE", "en")
    yield
