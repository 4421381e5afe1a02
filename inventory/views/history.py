"""An object's change history, gathered from the change log of it and of its parts.

One query, whatever the number of parts: the caller passes the ids it has already loaded.
Parts deleted since are found through the owner's id in their last snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from core.models import ObjectChange

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class HistoryEntry:
    time: datetime
    user: str
    action: str
    action_label: str
    kind: str
    object_repr: str
    changes: tuple[FieldChange, ...]


def objects(model: type[Model], ids: Iterable[int]) -> Q:
    """Changes of these objects of `model`."""
    ct = ContentType.objects.get_for_model(model)
    return Q(changed_object_type=ct, changed_object_id__in=list(ids))


def owned_by(model: type[Model], field: str, owner_id: int) -> Q:
    """Changes of `model` objects whose `field` pointed at `owner_id` before or after."""
    ct = ContentType.objects.get_for_model(model)
    return Q(changed_object_type=ct) & (
        Q(**{f"prechange_data__{field}": owner_id}) | Q(**{f"postchange_data__{field}": owner_id})
    )


def history(condition: Q, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest `limit` changes matching `condition`, newest first, with changed fields."""
    rows = ObjectChange.objects.filter(condition).order_by("-time", "-pk")[:limit]
    entries = []
    for row in rows:
        ct = (
            ContentType.objects.get_for_id(row.changed_object_type_id)
            if row.changed_object_type_id
            else None
        )
        model = ct.model_class() if ct else None
        kind = str(model._meta.verbose_name) if model else "bulk load"
        changes: tuple[FieldChange, ...] = ()
        if row.action == "update":
            changes = tuple(FieldChange(k, b, a) for k, (b, a) in row.diff().items())
        entries.append(
            HistoryEntry(
                time=row.time,
                user=row.user_name,
                action=row.action,
                action_label=row.get_action_display(),
                kind=kind,
                object_repr=row.object_repr,
                changes=changes,
            )
        )
    return entries
