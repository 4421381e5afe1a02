"""Start Django from the command line: database first (embedded if needed), then settings."""

from __future__ import annotations

import os

_done = False


def setup_django() -> None:
    global _done
    if _done:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menhir.settings")
    from menhir.database import ensure_database_url

    ensure_database_url()
    import django

    django.setup()
    _done = True
