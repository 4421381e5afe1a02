"""What every operator export shares: its header checked against the known columns, duplicate
keys within the file, model validation mapped to columns, and the all-or-nothing save."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction

from common.changes import change_context
from inventory.importers.errors import ImportFailed, Location, RowError
from inventory.importers.readers import RawRow, read_csv
from inventory.importers.result import ImportResult

T = TypeVar("T")


def read_export(
    data: bytes, columns: Sequence[str], required: Sequence[str]
) -> tuple[list[RawRow], list[RowError]]:
    """The rows of a CSV file whose header names only known columns and every required one, and
    the rows it could not read (reported with the others); a bad header stops here."""
    table = read_csv(data)
    errors: list[RowError] = []
    header = table.header or []
    where = Location(1)
    for name in header:
        if name and name not in columns:
            errors.append(RowError(where, name, f"unknown column; known: {', '.join(columns)}"))
    for name in required:
        if name not in header:
            errors.append(RowError(where, name, "required column missing from the header"))
    if not table.rows and not table.errors and not errors:
        errors.append(RowError(where, None, "the file has a header but no row"))
    if errors:
        raise ImportFailed(errors + list(table.errors))
    return table.rows, list(table.errors)


def cell(row: RawRow, column: str) -> str:
    return str(row.values.get(column) or "").strip()


def once_per_file(rows: Sequence[Any], key: Callable[[Any], str], column: str) -> list[RowError]:
    """The same key on two lines of one file is ambiguous: the later line is refused."""
    seen: dict[str, Location] = {}
    errors = []
    for row in rows:
        value = key(row)
        if not value:
            continue
        if value in seen:
            errors.append(RowError(row.location, column, f"{value!r} is already on {seen[value]}"))
        else:
            seen[value] = row.location
    return errors


def validate(
    instance: models.Model, location: Location, exclude: Sequence[str] = ()
) -> list[RowError]:
    """The model's own rules (clean(), field validators) as row errors."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return [
            RowError(location, None if name == NON_FIELD_ERRORS else name, " ".join(messages))
            for name, messages in exc.message_dict.items()
        ]
    return []


def save_all(name: str, write: Callable[[], tuple[int, int, int]], user: Any) -> ImportResult:
    """Run `write` in one transaction under the importing user; a refusal changes nothing."""
    with change_context(user=user, source="import"):
        try:
            with transaction.atomic():
                created, updated, unchanged = write()
        except DatabaseError as exc:  # a concurrent change since the checks
            failure = RowError(None, None, f"the database refused the file: {exc}")
            raise ImportFailed([failure]) from exc
    return ImportResult(name, created, updated, unchanged)
