"""Write checked rows in bulk, with one change-log entry per created or updated object.

Row by row, `save()` and the change-log signal handlers cost about ten queries an object; here a
file costs a few queries per thousand objects. The entries carry what the signal handlers would
write (user, source, request id, snapshots before and after) from the current change context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone

from common.changes import current_context
from core.models import ObjectChange, ObjectChangeAction
from inventory.importers.rows import PlannedRow
from inventory.importers.schemas import Kind, Schema, has_tags

BATCH = 1000


def write(schema: Schema, created: Sequence[PlannedRow], updated: Sequence[PlannedRow]) -> None:
    model = schema.model
    model._default_manager.bulk_create([p.instance for p in created], batch_size=BATCH)
    if updated:
        now = timezone.now()
        for plan in updated:
            plan.instance.last_updated = now
        fields = _updated_fields(schema)
        model._default_manager.bulk_update(
            [p.instance for p in updated], [*fields, "last_updated"], batch_size=BATCH
        )
    written = [*created, *updated]
    if has_tags(schema):
        _write_tags(model, written)
    _log(written)


def _updated_fields(schema: Schema) -> list[str]:
    names = {c.field_name for c in schema.columns if c.kind is not Kind.TAGS}
    return sorted(names)


def _write_tags(model: type[models.Model], plans: Sequence[PlannedRow]) -> None:
    through = model.tags.through  # type: ignore[attr-defined]
    own = f"{model._meta.model_name}_id"
    retagged = [p for p in plans if p.tags is not None]
    through.objects.filter(
        **{f"{own}__in": [p.instance.pk for p in retagged if not p.created]}
    ).delete()
    through.objects.bulk_create(
        [through(**{own: p.instance.pk, "tag_id": t.pk}) for p in retagged for t in p.tags or ()],
        batch_size=BATCH,
    )
    instances = [p.instance for p in plans]
    for instance in instances:
        getattr(instance, "_prefetched_objects_cache", {}).pop("tags", None)
    prefetch_related_objects(instances, "tags")


def _log(plans: Sequence[PlannedRow]) -> None:
    ctx = current_context()
    user = ctx.user if getattr(ctx.user, "pk", None) else None
    entries: list[ObjectChange] = []
    for plan in plans:
        instance: Any = plan.instance
        entries.append(
            ObjectChange(
                user=user,
                user_name=getattr(user, "username", "") or ctx.source,
                request_id=ctx.request_id,
                source=ctx.source,
                action=ObjectChangeAction.CREATE if plan.created else ObjectChangeAction.UPDATE,
                changed_object_type=ContentType.objects.get_for_model(instance),
                changed_object_id=instance.pk,
                object_repr=str(instance)[:200],
                prechange_data=plan.pre,
                postchange_data=instance.snapshot(),
            )
        )
    ObjectChange.objects.bulk_create(entries, batch_size=BATCH)
