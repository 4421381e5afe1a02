"""Natural keys → objects, in bulk: one query per relation per file, never one per row."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models

from inventory.importers.cells import CellError, is_blank, text
from inventory.importers.readers import RawRow
from inventory.importers.schemas import Kind, Relation, Schema, queryset
from inventory.models import Interface, ServiceClass


def split_tags(raw: Any) -> list[str]:
    """Tag slugs from `a|b|c` (CSV) or a YAML list; blanks dropped."""
    if is_blank(raw):
        return []
    items = raw if isinstance(raw, list) else text(raw).split("|")
    return [slug for slug in (text(item) for item in items) if slug]


def _safe_text(raw: Any) -> str | None:
    try:
        return None if is_blank(raw) else text(raw)
    except CellError:
        return None


class Resolver:
    """Every related object a file names, fetched once when the file is read."""

    def __init__(self, schema: Schema, rows: Iterable[RawRow]) -> None:
        wanted: dict[Relation, set[str]] = defaultdict(set)
        interfaces: set[tuple[str, str]] = set()
        classes: set[tuple[str, str]] = set()
        for row in rows:
            values = row.values
            for col in schema.columns:
                if col.name not in values:
                    continue
                raw = values[col.name]
                if col.kind is Kind.RELATION and col.relation:
                    if (value := _safe_text(raw)) is not None:
                        wanted[col.relation].add(value)
                elif col.kind is Kind.TAGS and col.relation:
                    with contextlib.suppress(CellError):
                        wanted[col.relation].update(split_tags(raw))
                elif col.kind is Kind.INTERFACE_NAME:
                    device = _safe_text(values.get(col.name.replace("interface", "device")))
                    name = _safe_text(raw)
                    if device is not None and name is not None:
                        interfaces.add((device, name))
                elif col.kind is Kind.SERVICE_CLASS:
                    contract, slug = _safe_text(values.get("contract")), _safe_text(raw)
                    if contract is not None and slug is not None:
                        classes.add((contract, slug))
        self._objects = {rel: _fetch(rel, values) for rel, values in wanted.items()}
        self._interfaces = _fetch_interfaces(interfaces)
        self._classes = _fetch_service_classes(classes)

    def get(self, relation: Relation, value: str) -> models.Model | None:
        return self._objects.get(relation, {}).get(value)

    def interface(self, device: str, name: str) -> Interface | None:
        return self._interfaces.get((device, name))

    def service_classes(self, contract: str, slug: str) -> list[ServiceClass]:
        """Every version of the class (one per effective date), the latest first."""
        return self._classes.get((contract, slug), [])


def _fetch(relation: Relation, values: set[str]) -> dict[str, models.Model]:
    manager = relation.model._default_manager
    found = manager.filter(**{f"{relation.key}__in": values})
    return {str(getattr(obj, relation.key)): obj for obj in found}


def _fetch_interfaces(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], Interface]:
    if not pairs:
        return {}
    found = Interface.objects.select_related("device").filter(
        device__name__in={d for d, _ in pairs}, name__in={n for _, n in pairs}
    )
    return {(i.device.name, i.name): i for i in found}


def _fetch_service_classes(
    pairs: set[tuple[str, str]],
) -> dict[tuple[str, str], list[ServiceClass]]:
    by_key: dict[tuple[str, str], list[ServiceClass]] = defaultdict(list)
    if pairs:
        found = (
            ServiceClass.objects.select_related("contract")
            .filter(contract__reference__in={c for c, _ in pairs}, slug__in={s for _, s in pairs})
            .order_by("-effective_from")
        )
        for sc in found:
            by_key[(sc.contract.reference, sc.slug)].append(sc)
    return by_key


def natural_key(schema: Schema, obj: models.Model) -> tuple[str, ...]:
    """The key an existing object is known by in a file: its key columns' exported values."""
    parts = []
    for name in schema.key:
        col = schema.column(name)
        value = getattr(obj, col.field_name)
        if col.kind is Kind.RELATION and col.relation:
            value = getattr(value, col.relation.key)
        parts.append(str(value))
    return tuple(parts)


def load_existing(schema: Schema, keys: set[tuple[str, ...]]) -> dict[tuple[str, ...], Any]:
    """The objects the file names by natural key, with their relations and tags: one query."""
    if not keys:
        return {}
    lookups: dict[str, set[str]] = {}
    for position, name in enumerate(schema.key):
        col = schema.column(name)
        path = col.field_name
        if col.kind is Kind.RELATION and col.relation:
            path = f"{path}__{col.relation.key}"
        lookups[f"{path}__in"] = {key[position] for key in keys}
    found = queryset(schema).filter(**lookups)
    return {k: obj for obj in found if (k := natural_key(schema, obj)) in keys}
