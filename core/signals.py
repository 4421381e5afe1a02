"""Signal handlers that write the change log for every ChangeLoggedModel."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from common.changes import current_context
from common.models import ChangeLoggedModel
from core.models import ObjectChange, ObjectChangeAction


def record_change(
    instance: ChangeLoggedModel,
    action: str,
    pre: dict[str, Any] | None,
    post: dict[str, Any] | None,
) -> ObjectChange | None:
    ctx = current_context()
    if not ctx.log_each_object:
        return None
    user = ctx.user.resolve() if hasattr(ctx.user, "resolve") else ctx.user
    if not getattr(user, "pk", None):
        user = None
    return ObjectChange.objects.create(
        user=user,
        user_name=getattr(user, "username", "") or ctx.source,
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        changed_object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        changed_object_id=instance.pk,
        object_repr=str(instance)[:200],
        prechange_data=pre,
        postchange_data=post,
    )


@receiver(pre_save)
def _remember_prechange(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, ChangeLoggedModel) or instance._state.adding:
        return
    if not current_context().log_each_object:
        return
    previous = type(instance)._base_manager.filter(pk=instance.pk).first()
    instance._prechange_snapshot = previous.snapshot() if previous else None  # type: ignore[attr-defined]


@receiver(post_save)
def _log_save(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, ChangeLoggedModel):
        return
    pre = None if created else getattr(instance, "_prechange_snapshot", None)
    post = instance.snapshot()
    if not created and pre == post:
        return  # a save that changed nothing is not a change
    action = ObjectChangeAction.CREATE if created else ObjectChangeAction.UPDATE
    record_change(instance, action, pre, post)
    instance._prechange_snapshot = post  # type: ignore[attr-defined]


@receiver(pre_delete)
def _remember_before_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ChangeLoggedModel) and current_context().log_each_object:
        instance._prechange_snapshot = instance.snapshot()  # type: ignore[attr-defined]


@receiver(post_delete)
def _log_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ChangeLoggedModel):
        pre = getattr(instance, "_prechange_snapshot", None)
        record_change(instance, ObjectChangeAction.DELETE, pre, None)


@receiver(m2m_changed)
def _log_tags(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if not isinstance(instance, ChangeLoggedModel) or action not in (
        "post_add",
        "post_remove",
        "post_clear",
    ):
        return
    pre = getattr(instance, "_prechange_snapshot", None)
    post = instance.snapshot()
    if pre != post:
        record_change(instance, ObjectChangeAction.UPDATE, pre, post)
        instance._prechange_snapshot = post  # type: ignore[attr-defined]
