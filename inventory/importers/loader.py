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
from common.models import ChangeLoggedModel
from core.models import ObjectChangeAction
from core.signals import record_change
from inventory.importers import checks
from inventory.importers.columns import check_columns
from inventory.importers.errors import ImportFailed, Location, RowError
from inventory.importers.readers import RawRow
from inventory.importers.resolve import Resolver, load_existing
from inventory.importers.result import ImportResult
from inventory.importers.rows import PlannedRow, RowBuilder, row_key
from inventory.importers.schemas import Schema

SOURCE = "import"


def load_rows(
    schema: Schema, rows: Sequence[RawRow], *, header: Sequence[str] | None, user: Any = None
) -> ImportResult:
    """Check `rows` (a CSV file's, with its `header`; or YAML items, header None), then save."""
    errors: list[RowError] = []
    if header is not None:
        errors += check_columns(schema, header, Location(1))
    else:
        for row in rows:
            errors += check_columns(schema, row.values.keys(), row.location)
    known = set(schema.column_names)
    rows = [RawRow(r.location, {k: v for k, v in r.values.items() if k in known}) for r in rows]
    plans = plan_rows(schema, rows)
    for plan in plans:
        errors += plan.errors
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
        validate(schema, plan)
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
    written = [p for p in plans if p.created or p.changed]
    with transaction.atomic(), change_context(user=user, source=SOURCE):
        for plan in written:
            _save_one(plan)
    created = sum(p.created for p in plans)
    return ImportResult(schema.name, created, len(written) - created, len(plans) - len(written))


def _save_one(plan: PlannedRow) -> None:
    instance: ChangeLoggedModel = plan.instance
    try:
        # The signal handlers stay quiet: the entry below holds the tags as well.
        with change_context(source=SOURCE, log_each_object=False):
            instance.save()
            if plan.tags is not None:
                instance.tags.set(plan.tags)  # type: ignore[attr-defined]
    except DatabaseError as exc:  # a concurrent change since the checks: refuse the file
        failure = RowError(plan.location, None, f"the database refused it: {exc}")
        raise ImportFailed([failure]) from exc
    action = ObjectChangeAction.CREATE if plan.created else ObjectChangeAction.UPDATE
    record_change(instance, action, plan.pre, instance.snapshot())
