"""One file row → one unsaved model instance (new, or the existing object it names), or errors.

Relations come from the file's Resolver, so building a row runs no query.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from core.models import Tag
from inventory.importers.cells import BLANK, CellError, convert, is_blank, text
from inventory.importers.errors import Location, RowError
from inventory.importers.readers import RawRow
from inventory.importers.resolve import Resolver, split_tags
from inventory.importers.schemas import Column, Kind, Schema

KEEP: Any = object()  # leave the existing value as it is


@dataclass
class PlannedRow:
    """A row turned into an instance, with what saving it will do."""

    location: Location
    key: tuple[str, ...]
    instance: Any
    created: bool
    pre: dict[str, Any] | None  # the change-log snapshot before the import
    changed: bool = False
    tags: list[Tag] | None = None  # None: the row says nothing of tags
    errors: list[RowError] = field(default_factory=list)
    bad_fields: set[str] = field(default_factory=set)

    def fail(self, column: str | None, message: str, field_name: str | None = None) -> None:
        if any(e.column == column for e in self.errors):
            return  # one message per cell: the first says the cause
        self.errors.append(RowError(self.location, column, message))
        if field_name:
            self.bad_fields.add(field_name)


def row_key(schema: Schema, row: RawRow) -> tuple[str, ...] | None:
    """The natural key as text, or None when a key column is blank or not a scalar."""
    parts = []
    for name in schema.key:
        raw = row.values.get(name)
        try:
            if is_blank(raw):
                return None
            parts.append(text(raw))
        except CellError:
            return None
    return tuple(parts)


class RowBuilder:
    def __init__(self, schema: Schema, resolver: Resolver, existing: dict[Any, Any]) -> None:
        self.schema = schema
        self.resolver = resolver
        self.existing = existing
        self.meta = schema.model._meta

    def build(self, row: RawRow) -> PlannedRow:
        key = row_key(self.schema, row) or ()
        existing = self.existing.get(key) if key else None
        plan = PlannedRow(
            location=row.location,
            key=key,
            instance=existing if existing is not None else self.schema.model(),
            created=existing is None,
            pre=None,
        )
        # The state before the row, for the change log; snapshotted only if the row changes it.
        original = copy.copy(existing)
        if plan.created:  # a missing required column is reported once, by check_columns
            plan.bad_fields |= {
                c.field_name for c in self.schema.columns if c.required and c.name not in row.values
            }
        for col in self.schema.columns:
            if col.name in row.values and col.kind is not Kind.INTERFACE_DEVICE:
                try:
                    self._apply(plan, col, row.values)
                except CellError as exc:
                    plan.fail(col.name, str(exc), col.field_name)
        if original is not None and plan.changed:
            plan.pre = original.snapshot()
        return plan

    def _apply(self, plan: PlannedRow, col: Column, values: dict[str, Any]) -> None:
        raw = values[col.name]
        if col.kind is Kind.VALUE:
            model_field = self.meta.get_field(col.field_name)
            value = convert(model_field, raw)  # type: ignore[arg-type]
            if value is BLANK:
                value = self._blank(model_field, plan.created)  # type: ignore[arg-type]
            if value is not KEEP:
                self._set(plan, model_field.attname, value)  # type: ignore[union-attr]
        elif col.kind is Kind.RELATION and col.relation:
            self._set_related(plan, col.field_name, self._related(col, raw))
        elif col.kind is Kind.TAGS:
            self._set_tags(plan, raw)
        elif col.kind is Kind.INTERFACE_NAME:
            device_col = col.name.replace("interface", "device")
            self._set_related(plan, col.field_name, self._interface(values.get(device_col), raw))
        elif col.kind is Kind.SERVICE_CLASS:
            self._set_related(plan, col.field_name, self._service_class(plan, values, raw))

    def _blank(self, model_field: models.Field[Any, Any], created: bool) -> Any:
        if model_field.null and not isinstance(model_field, models.CharField | models.TextField):
            return None
        if model_field.blank:
            return ""
        if model_field.has_default():
            return model_field.get_default() if created else KEEP
        raise CellError("a value is required")

    def _set(self, plan: PlannedRow, attname: str, value: Any) -> None:
        if getattr(plan.instance, attname, None) != value:
            plan.changed = True
        setattr(plan.instance, attname, value)

    def _set_related(self, plan: PlannedRow, name: str, obj: models.Model | None) -> None:
        model_field = self.meta.get_field(name)
        if getattr(plan.instance, model_field.attname) != (obj.pk if obj else None):  # type: ignore[union-attr]
            plan.changed = True
        setattr(plan.instance, name, obj)

    def _related(self, col: Column, raw: Any) -> models.Model | None:
        assert col.relation is not None
        if is_blank(raw):
            if getattr(self.meta.get_field(col.field_name), "null", False):
                return None
            raise CellError("a value is required")
        value = text(raw)
        obj = self.resolver.get(col.relation, value)
        if obj is None:
            raise CellError(f"unknown {col.relation.label} {value}")
        return obj

    def _set_tags(self, plan: PlannedRow, raw: Any) -> None:
        slugs = split_tags(raw)
        tag_relation = self.schema.column("tags").relation
        assert tag_relation is not None
        tags = [self.resolver.get(tag_relation, slug) for slug in slugs]
        unknown = [slug for slug, tag in zip(slugs, tags, strict=True) if tag is None]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise CellError(f"unknown tag slug{plural} {', '.join(unknown)}")
        plan.tags = [t for t in tags if isinstance(t, Tag)]
        before = set() if plan.created else {t.pk for t in plan.instance.tags.all()}
        if before != {t.pk for t in plan.tags}:
            plan.changed = True

    def _interface(self, device_raw: Any, name_raw: Any) -> models.Model | None:
        if is_blank(device_raw) and is_blank(name_raw):
            return None
        if is_blank(device_raw) or is_blank(name_raw):
            raise CellError("give both the device and the interface name, or neither")
        device, name = text(device_raw), text(name_raw)
        interface = self.resolver.interface(device, name)
        if interface is None:
            raise CellError(f"unknown interface {name} on device {device}")
        return interface

    def _service_class(
        self, plan: PlannedRow, values: dict[str, Any], raw: Any
    ) -> models.Model | None:
        if is_blank(raw):
            return None
        if is_blank(values.get("contract")):
            raise CellError("a service class is named within its contract: give the contract too")
        contract, slug = text(values["contract"]), text(raw)
        versions = self.resolver.service_classes(contract, slug)
        if not versions:
            raise CellError(f"unknown service class slug {slug} in contract {contract}")
        # Versions share the slug: keep the one the link has, else take the latest terms.
        current = plan.instance.service_class_id
        return next((v for v in versions if v.pk == current), versions[0])
