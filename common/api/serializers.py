"""The base serializer of every model: the shared fields, relations and validation.

Each model's serializer is a few lines (`Meta.model`, `Meta.fields`, maybe `natural_key` and
`brief_fields`); this base adds, NetBox-style:
- `id`, `url`, `display` first, and `description`, `comments`, `tags`, `created`, `last_updated`
  last when the model has them;
- relations rendered as the related model's brief form and written by id or natural key
  (common.api.fields.NestedRelatedField);
- the model's `full_clean()` on every write, so `clean()` rules become 400s with field errors;
- the model's `secret_fields` write-only, with a read-only `<name>_set` boolean instead.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from common import scoping
from common.api import registry
from common.api.fields import (
    IdentityURLField,
    LocalTimeField,
    NestedRelatedField,
    SecretSetField,
)

M = TypeVar("M", bound=models.Model)

TRAILING_FIELDS = ("description", "comments", "tags", "created", "last_updated")


class BaseModelSerializer(serializers.ModelSerializer, Generic[M]):
    """Subclasses set `Meta.model`, `Meta.fields`; optionally `natural_key`, `brief_fields`."""

    serializer_related_field = NestedRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: LocalTimeField,
    }
    natural_key: ClassVar[str | None] = None
    brief_fields: ClassVar[Sequence[str]] = ()
    clean_exclude: ClassVar[Sequence[str]] = ()  # model fields full_clean() must not check

    display = serializers.SerializerMethodField()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        meta: Any = getattr(cls, "Meta", None)
        if "Meta" in cls.__dict__ and getattr(meta, "model", None) is not None:
            registry.register(meta.model, cls, cls.natural_key)

    def __init__(self, *args: Any, nested: bool = False, **kwargs: Any) -> None:
        self.nested = nested
        if nested:
            kwargs["read_only"] = True
        super().__init__(*args, **kwargs)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)  # the root's context
        return scoping.visible(user, self.Meta.model, data) if user is not None else data

    def get_display(self, obj: M) -> str:
        return str(obj)

    # Fields -------------------------------------------------------------------------------------

    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        model: Any = self.Meta.model
        names = ["id", "url", "display"]
        key = [self.natural_key] if self.natural_key else []
        if self.nested:
            return [*names, *[n for n in (*key, *self.brief_fields) if n not in names]]
        own = [n for n in self.Meta.fields if n not in names]
        present = {f.name for f in model._meta.get_fields()}
        tail = [n for n in TRAILING_FIELDS if n in present and n not in own]
        return [*names, *own, *tail]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in getattr(self.Meta.model, "secret_fields", ()):
            if name in fields and not self.nested:
                fields[f"{name}_set"] = SecretSetField(source=name)
        return fields

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra: dict[str, Any] = dict(super().get_extra_kwargs())
        for name in getattr(self.Meta.model, "secret_fields", ()):
            extra[name] = {**extra.get(name, {}), "write_only": True}
        return extra

    def build_url_field(self, field_name: str, model_class: Any) -> tuple[type, dict[str, Any]]:
        view_name = getattr(self.Meta, "url_view_name", None) or (
            f"{model_class._meta.app_label}-api:{model_class._meta.model_name}-detail"
        )
        return IdentityURLField, {"view_name": view_name}

    def build_relational_field(
        self, field_name: str, relation_info: Any
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if issubclass(field_class, NestedRelatedField):
            kwargs["model"] = relation_info.related_model
        return field_class, kwargs

    # Validation ---------------------------------------------------------------------------------

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Run the model's own validation (clean(), field validators, constraints)."""
        attrs = super().validate(attrs)
        model: Any = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            field = _model_field(model, name)
            if field is not None and not field.many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=list(self.clean_exclude))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_error_detail(exc)) from None
        return attrs


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _error_detail(exc: DjangoValidationError) -> Any:
    from rest_framework.settings import api_settings

    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): get_error_detail(
                DjangoValidationError(errors)
            )
            for key, errors in exc.error_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: get_error_detail(exc)}
