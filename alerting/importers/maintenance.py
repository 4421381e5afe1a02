"""An operator's export of maintenance notices → MaintenanceWindow rows (by reference).

Columns: reference*, planned_start*, planned_end*, notified_at*, title, curative, pops, devices,
links, description (* required). pops, devices and links name PoP slugs, device names and the
operator's circuit ids, separated by spaces, commas or `|`; none of them means all of the
operator's elements. A column absent from the header leaves that field as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models

from alerting.importers.cells import Cells
from alerting.importers.files import cell, once_per_file, read_export, save_all, validate
from alerting.models import MaintenanceWindow
from inventory.importers.errors import ImportFailed, Location
from inventory.importers.result import ImportResult
from inventory.models import Device, Link, Operator, Pop

TIMES = ("planned_start", "planned_end", "notified_at")
COLUMNS = ("reference", "title", *TIMES, "curative", "pops", "devices", "links", "description")
REQUIRED = ("reference", *TIMES)
SCOPE: dict[str, tuple[type[models.Model], str, str]] = {
    "pops": (Pop, "slug", "PoP"),
    "devices": (Device, "name", "device"),
    "links": (Link, "circuit_id", "circuit"),
}


@dataclass
class Planned:
    location: Location
    window: MaintenanceWindow
    created: bool
    changed: bool
    scope: dict[str, list[models.Model]] = field(default_factory=dict)


def import_maintenance(
    data: bytes, operator: Operator, *, user: Any = None, tz: ZoneInfo | None = None
) -> ImportResult:
    """Check every row, then save them all, or raise ImportFailed naming every bad cell."""
    rows, errors = read_export(data, COLUMNS, REQUIRED)
    errors += once_per_file(rows, lambda r: cell(r, "reference"), "reference")
    refs = {cell(r, "reference") for r in rows}
    existing = {
        w.reference: w
        for w in MaintenanceWindow.objects.filter(operator=operator, reference__in=refs)
    }
    plans = []
    for row in rows:
        cells = Cells(row, errors, tz)
        reference = cells.text("reference", required=True, max_length=100)
        window = existing.get(reference) or MaintenanceWindow(
            operator=operator, reference=reference, created_by=user
        )
        before = window.snapshot() if window.pk else None
        for name in TIMES:
            if cells.has(name):
                setattr(window, name, cells.time(name, required=True))
        if cells.has("title") or window.pk is None:
            window.title = cells.text("title", max_length=200) or f"{operator.name} {reference}"
        if cells.has("description"):
            window.description = cells.text("description", max_length=10_000)
        if cells.has("curative"):
            window.curative = cells.boolean("curative")
        plan = Planned(row.location, window, window.pk is None, False)
        for name in SCOPE:
            if cells.has(name):
                plan.scope[name] = _resolve(cells, name, operator)
        if not cells.failed:
            errors += validate(window, row.location, exclude=("pops", "devices", "links"))
        plan.changed = before != window.snapshot() or _scope_changed(window, plan.scope)
        plans.append(plan)
    if errors:
        raise ImportFailed(errors)
    return save_all("maintenance", lambda: _write(plans), user)


def _resolve(cells: Cells, name: str, operator: Operator) -> list[models.Model]:
    model, key, label = SCOPE[name]
    keys = cells.keys(name)
    queryset: Any = model._default_manager.filter(**{f"{key}__in": keys})
    if model is Link:
        queryset = queryset.filter(operator=operator)
    found = {getattr(o, key): o for o in queryset}
    unknown = [k for k in keys if k not in found]
    if unknown:
        cells.fail(name, f"unknown {label}: {', '.join(unknown)}")
    return [found[k] for k in dict.fromkeys(keys) if k in found]


def _scope_changed(window: MaintenanceWindow, scope: dict[str, list[models.Model]]) -> bool:
    if window.pk is None:
        return True
    return any(
        {o.pk for o in objects} != set(getattr(window, name).values_list("pk", flat=True))
        for name, objects in scope.items()
    )


def _write(plans: list[Planned]) -> tuple[int, int, int]:
    created = updated = 0
    for plan in plans:
        if not plan.changed:
            continue
        plan.window.save()
        for name, objects in plan.scope.items():
            getattr(plan.window, name).set(objects)
        created += plan.created
        updated += not plan.created
    return created, updated, len(plans) - created - updated
