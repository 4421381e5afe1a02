"""Export establishments, devices, interfaces or links as CSV or YAML, in the import's columns.

What is exported re-imports unchanged. Relations are written as natural keys, tags as slugs.
Secrets are never written: these four models hold none, and SNMP profiles are not exportable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import yaml
from django.db import models

from common.cells import neutralise
from common.csv_dialects import MACHINE, CsvDialect
from inventory.importers.schemas import (
    MODELS,
    SCHEMAS,
    Column,
    Kind,
    Schema,
    has_tags,
    queryset,
    related_paths,
)

FORMATS = ("csv", "yaml")


class ExportError(ValueError):
    pass


def export_model(model: str, fmt: str) -> str:
    """Every object of `model` (establishments, devices, interfaces, links) as `fmt`."""
    return export_queryset(model, queryset(_schema(model)), fmt)


def export_queryset(
    model: str, objects: models.QuerySet[Any], fmt: str, dialect: CsvDialect = MACHINE
) -> str:
    """The objects of a (filtered) queryset of `model` as `fmt` ("csv" or "yaml"); a CSV in
    `dialect` (the web page's language; the importer reads both back)."""
    schema = _schema(model)
    if objects.model is not schema.model:
        raise ExportError(f"expected a queryset of {schema.model.__name__}")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: expected csv or yaml")
    objects = _with_relations(schema, objects)
    rows = (row(schema, obj) for obj in objects.iterator(chunk_size=2000))
    return _csv(schema, rows, dialect) if fmt == "csv" else _yaml(schema, rows)


def row(schema: Schema, obj: Any) -> dict[str, Any]:
    """One object's columns as Python values (None when empty)."""
    return {col.name: _value(col, obj) for col in schema.columns}


def _schema(model: str) -> Schema:
    if model not in SCHEMAS:
        raise ExportError(f"unknown model {model!r}: expected one of {', '.join(MODELS)}")
    return SCHEMAS[model]


def _with_relations(schema: Schema, objects: models.QuerySet[Any]) -> models.QuerySet[Any]:
    objects = objects.select_related(*related_paths(schema))
    return objects.prefetch_related("tags") if has_tags(schema) else objects


def _value(col: Column, obj: Any) -> Any:
    if col.kind is Kind.VALUE:
        return getattr(obj, col.field_name)
    if col.kind is Kind.TAGS:
        return sorted(tag.slug for tag in obj.tags.all())
    related = getattr(obj, col.field_name)
    if related is None:
        return None
    if col.kind is Kind.RELATION and col.relation:
        return getattr(related, col.relation.key)
    if col.kind is Kind.INTERFACE_DEVICE:
        return related.device.name
    if col.kind is Kind.INTERFACE_NAME:
        return related.name
    return related.slug  # SERVICE_CLASS: named within the row's contract


def _text(value: Any, dialect: CsvDialect = MACHINE) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, Decimal | float):
        return dialect.number(value)
    return str(value)


def _csv(schema: Schema, rows: Iterable[dict[str, Any]], dialect: CsvDialect) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", delimiter=dialect.delimiter)
    writer.writerow(schema.column_names)
    for data in rows:
        writer.writerow([neutralise(_text(data[name], dialect)) for name in schema.column_names])
    return out.getvalue()


def _yaml_value(value: Any) -> Any:
    # Decimals and times as text: YAML floats would round money, and text keeps the time zone.
    if isinstance(value, Decimal | dt.datetime | dt.date):
        return _text(value)
    return value


def _yaml(schema: Schema, rows: Iterable[dict[str, Any]]) -> str:
    items = [{k: _yaml_value(v) for k, v in data.items()} for data in rows]
    return yaml.safe_dump(
        {schema.name: items}, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
