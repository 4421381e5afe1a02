"""Checks across rows, made in bulk: duplicates within the file and unique values already taken.

Django's `validate_unique()` would ask the database once per row and field; these ask once per
file and name the row that already holds the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from inventory.importers.errors import Location
from inventory.importers.rows import PlannedRow
from inventory.importers.schemas import Schema, queryset
from inventory.models import Link


def duplicate_keys(schema: Schema, plans: Sequence[PlannedRow]) -> None:
    first: dict[tuple[str, ...], Location] = {}
    names = " + ".join(schema.key)
    for plan in plans:
        if not plan.key:
            continue
        if plan.key in first:
            plan.fail(
                schema.key[-1],
                f"duplicate {names} {' + '.join(plan.key)} within the file: "
                f"already on {first[plan.key]}",
            )
        else:
            first[plan.key] = plan.location


def unique_values(schema: Schema, plans: Sequence[PlannedRow]) -> None:
    """Each `schema.unique` field set: once per file, and against the objects in the database."""
    meta = schema.model._meta
    for names in schema.unique:
        attnames = [meta.get_field(n).attname for n in names]  # type: ignore[union-attr]
        column = names[-1]
        valued: list[tuple[PlannedRow, tuple[Any, ...]]] = []
        for plan in plans:
            if column in plan.bad_fields:
                continue
            values = tuple(getattr(plan.instance, a) for a in attnames)
            if all(v is not None and v != "" for v in values):
                valued.append((plan, values))
        if not valued:
            continue
        first: dict[tuple[Any, ...], Location] = {}
        for plan, values in valued:
            if values in first:
                plan.fail(column, f"{column} {values[-1]} is also on {first[values]}", column)
            else:
                first[values] = plan.location
        in_db = queryset(schema).filter(**{f"{attnames[0]}__in": {v[0] for _, v in valued}})
        holders = {tuple(getattr(o, a) for a in attnames): o for o in in_db}
        for plan, values in valued:
            holder = holders.get(values)
            if holder is not None and holder.pk != plan.instance.pk:
                plan.fail(
                    column,
                    f"{column} {values[-1]} is already used by {meta.verbose_name} {holder}",
                    column,
                )


def link_interfaces(plans: Sequence[PlannedRow]) -> None:
    """An interface terminates one link at most, on either end, in the file or the database."""
    first: dict[int, tuple[Location, str]] = {}
    ends: list[tuple[PlannedRow, str, Any]] = []
    for plan in plans:
        for side in ("a_interface", "z_interface"):
            interface = getattr(plan.instance, side) if side not in plan.bad_fields else None
            if interface is None:
                continue
            ends.append((plan, side, interface))
            if interface.pk in first:
                where, other_side = first[interface.pk]
                plan.fail(
                    side,
                    f"interface {interface} is also the {other_side[0].upper()} end "
                    f"of the link on {where}",
                    side,
                )
            else:
                first[interface.pk] = (plan.location, side)
    if not ends:
        return
    ids = {interface.pk for _, _, interface in ends}
    holders: dict[int, Link] = {}
    for link in Link.objects.select_related("operator").filter(
        Q(a_interface_id__in=ids) | Q(z_interface_id__in=ids)
    ):
        for iface_id in (link.a_interface_id, link.z_interface_id):
            if iface_id is not None and iface_id in ids:
                holders[iface_id] = link
    for plan, side, interface in ends:
        holder = holders.get(interface.pk)
        if holder is not None and holder.pk != plan.instance.pk:
            plan.fail(side, f"interface {interface} is already used by another link ({holder})")
