"""The models and the migrations agree (issue 14 §6): a model change without its migration
fails here, not on the next machine that migrates."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:  # --check exits 1 when a migration would be written
        if missing.code:
            pytest.fail(f"models changed without a migration:\n{out.getvalue()}")
