"""Which columns a file (CSV header) or a row (YAML item) names: unknown, missing, half pairs."""

from __future__ import annotations

from collections.abc import Collection

from inventory.importers.errors import Location, RowError
from inventory.importers.schemas import Kind, Schema


def check_columns(schema: Schema, names: Collection[str], location: Location) -> list[RowError]:
    errors = []
    known = schema.column_names
    for name in names:
        if name and name not in known:  # a nameless column is the reader's error
            errors.append(
                RowError(
                    location,
                    name,
                    f"unknown column for {schema.name}; the columns are: {', '.join(known)}",
                )
            )
    missing = [name for name in schema.required if name not in names]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        errors.append(
            RowError(location, None, f"missing required column{plural}: {', '.join(missing)}")
        )
    for col in schema.columns:
        if col.kind is Kind.INTERFACE_NAME:
            device = col.name.replace("interface", "device")
            if (col.name in names) != (device in names):
                errors.append(
                    RowError(
                        location,
                        col.name if col.name not in names else device,
                        f"columns {device} and {col.name} go together: give both or neither",
                    )
                )
    return errors
