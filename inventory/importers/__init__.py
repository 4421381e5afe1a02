"""Bulk import of establishments, devices, interfaces and links from CSV or YAML files.

`import_file(path)` and `import_content(data, fmt)` check the whole file, then save it in one
transaction, or raise `ImportFailed` with one error per problem and change nothing.
docs/import-export.md describes the formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inventory.importers.errors import ImportFailed, Location, RowError, file_error
from inventory.importers.loader import load_rows
from inventory.importers.readers import read_csv, read_yaml
from inventory.importers.result import ImportResult
from inventory.importers.schemas import MODELS, SCHEMAS

__all__ = [
    "MODELS",
    "ImportFailed",
    "ImportResult",
    "Location",
    "RowError",
    "import_content",
    "import_file",
]

FORMATS = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}


def import_file(
    path: str | Path, *, model: str | None = None, username: str | None = None
) -> ImportResult:
    """Import a .csv (needs `model`) or .yaml/.yml file, recording changes under `username`."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise file_error(f"unknown file type {path.suffix or '(none)'!r}: expected .csv or .yaml")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_error(f"cannot read {path}: {exc.strerror}") from None
    return import_content(data, fmt, model=model, user=_user(username))


def import_content(
    data: bytes, fmt: str, *, model: str | None = None, user: Any = None
) -> ImportResult:
    """Import file content (the web UI and the API pass uploads here). `fmt`: csv or yaml."""
    if model is not None and model not in SCHEMAS:
        raise file_error(f"unknown model {model!r}: expected one of {', '.join(MODELS)}")
    if fmt == "csv":
        if model is None:
            raise file_error(f"a CSV file needs a model: one of {', '.join(MODELS)}")
        return load_rows(SCHEMAS[model], read_csv(data), user=user)
    if fmt == "yaml":
        table = read_yaml(data)
        key = table.model or ""
        if key not in SCHEMAS:
            raise file_error(f"unknown top-level key {key!r}: expected one of {', '.join(MODELS)}")
        if model is not None and model != key:
            raise file_error(f"the file holds {key}, not {model}")
        return load_rows(SCHEMAS[key], table, user=user)
    raise file_error(f"unknown format {fmt!r}: expected csv or yaml")


def _user(username: str | None) -> Any:
    if username is None:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise file_error(f"unknown user {username!r}: create it first (menhir createsuperuser)")
    return user
