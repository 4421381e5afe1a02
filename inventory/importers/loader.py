"""The transactional loader: a whole file is checked first, then saved in one transaction.

Nothing is written unless every row is valid. Each created or updated object gets one
change-log entry under the importing user, with source "import".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction

from common.changes import change_context
from inventory.importers import checks, writer
from inventory.importers.columns import check_columns
from inventory.importers.errors import ImportFailed, Location, RowError
from inventory.importers.readers import RawRow, Table
from inventory.importers.resolve import Resolver, load_existing
from inventory.importers.result import ImportResult
from inventory.importers.rows import PlannedRow, RowBuilder, row_key
from inventory.importers.schemas import Schema

SOURCE = "import"


def load_rows(schema: Schema, table: Table, *, user: Any = None) -> ImportResult:
    """Check every row of `table`, then save them all, or raise ImportFailed with every error."""
    errors = list(table.errors)
    if table.header is not None:
        errors += check_columns(schema, table.header, Location(1))
    else:
        for row in table.rows:
            errors += check_columns(schema, row.values.keys(), row.location)
    known = set(schema.column_names)
    rows = [
        RawRow(r.location, {k: v for k, v in r.values.items() if k in known}) for r in table.rows
    ]
    plans = plan_rows(schema, rows)
    position = {name: index for index, name in enumerate(schema.column_names)}
    for plan in plans:
        # In a row, the cells' errors in column order, then those of the row as a whole.
        errors += sorted(plan.errors, key=lambda e: position.get(e.column or "", len(position)))
    if errors:
        raise ImportFailed(errors)
    return save(schema, plans, user)


def plan_rows(schema: Schema, rows: Sequence[RawRow]) -> list[PlannedRow]:
    keys = {key for row in rows if (key := row_key(schema, row))}
    builder = RowBuilder(schema, Resolver(schema, rows), load_existing(schema, keys))
    plans = [builder.build(row) for row in rows]
    checks.duplicate_keys(schema, plans)
    checks.unique_values(schema, plans)
    if schema.name == "links":
        checks.link_interfaces(plans)
    for plan in plans:
        if plan.created or plan.changed or plan.errors:
            validate(schema, plan)  # an unchanged row is not written: nothing to check
    return plans


def validate(schema: Schema, plan: PlannedRow) -> None:
    """The model's own rules (field validators, clean()), skipped for fields already refused.

    Relations were resolved from the database already: their per-row existence check is skipped.
    clean() runs only on rows without other errors, since it would report their consequences.
    """
    relations = {f.name for f in schema.model._meta.concrete_fields if f.is_relation}
    try:
        if plan.errors:
            plan.instance.clean_fields(exclude=plan.bad_fields | relations)
        else:
            plan.instance.full_clean(
                exclude=relations, validate_unique=False, validate_constraints=False
            )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = None if name == NON_FIELD_ERRORS else name
            plan.fail(column, " ".join(messages))


def save(schema: Schema, plans: Sequence[PlannedRow], user: Any) -> ImportResult:
    created = [p for p in plans if p.created]
    updated = [p for p in plans if p.changed and not p.created]
    unchanged = len(plans) - len(created) - len(updated)
    if not created and not updated:
        return ImportResult(schema.name, 0, 0, unchanged)
    with transaction.atomic(), change_context(user=user, source=SOURCE):
        try:
            writer.write(schema, created, updated)
        except DatabaseError as exc:  # a concurrent change since the checks: refuse the file
            failure = RowError(None, None, f"the database refused the file: {exc}")
            raise ImportFailed([failure]) from exc
    return ImportResult(schema.name, len(created), len(updated), unchanged)
