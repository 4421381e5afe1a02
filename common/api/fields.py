"""Serializer fields: related objects written by key, read as a brief nested object.

A `NestedRelatedField` accepts, on input, the related object's primary key (a JSON number), its
natural key (a string: an establishment's `code`, a commune's INSEE code, an operator's slug…)
or an object naming either (`{"id": 3}`, `{"code": "LYC-29-001"}`). On output it renders the
brief representation of the related model's serializer (id, url, display and a few fields), or
only the natural key when the serializer context asks for `natural_keys` (CSV export).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db import models
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.registry import natural_key_for, serializer_for

MAX_ID = 2**63  # bigint: a larger number cannot be an id (and must not reach the database)


class NestedRelatedField(serializers.RelatedField):
    default_error_messages = {
        "does_not_exist": "No {model} matches {value}.",
        "multiple": "Several {model} objects match {value}: use the id.",
        "incorrect_type": "Expected an id (number), a natural key (string) or an object, got {t}.",
    }

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        self.related_model = model
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> serializers.ManyRelatedField:
        field = super().many_init(*args, **kwargs)
        field.__class__ = PrefetchedManyRelatedField
        return field

    def get_choices(self, cutoff: int | None = None) -> dict[Any, str]:
        return {}  # never list a whole table into a form

    def to_internal_value(self, data: Any) -> models.Model:
        queryset: Any = self.get_queryset()
        natural_key = natural_key_for(self.related_model)
        lookup: dict[str, Any]
        if isinstance(data, bool):
            self.fail("incorrect_type", t="boolean")
        if isinstance(data, int):
            if not 0 < data < MAX_ID:
                self.fail("does_not_exist", model=self._model_name(), value=_show(data))
            lookup = {"pk": data}
        elif isinstance(data, str):
            if natural_key:
                lookup = {natural_key: data}
            elif data.isdigit():
                lookup = {"pk": int(data)}
            else:
                self.fail("incorrect_type", t="a string (this model has no natural key)")
        elif isinstance(data, dict):
            lookup = self._lookup_from_dict(data)
        else:
            self.fail("incorrect_type", t=type(data).__name__)
        try:
            return queryset.get(**lookup)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", model=self._model_name(), value=_show(data))
        except MultipleObjectsReturned:
            self.fail("multiple", model=self._model_name(), value=_show(data))
        except (TypeError, ValueError):
            self.fail("incorrect_type", t=type(data).__name__)
        raise AssertionError("unreachable")

    def _lookup_from_dict(self, data: dict[str, Any]) -> dict[str, Any]:
        """Only plain field names of the related model: no lookups that cross relations."""
        names = {f.name for f in self.related_model._meta.concrete_fields} | {"id"}
        if not data or any(not isinstance(k, str) or k not in names for k in data):
            self.fail("incorrect_type", t=f"an object with keys other than {sorted(names)}")
        lookup: dict[str, Any] = {}
        for key, value in data.items():
            field = self.related_model._meta.get_field("id" if key == "id" else key)
            if field.is_relation and field.related_model is not None:
                related_key = natural_key_for(field.related_model)  # type: ignore[arg-type]
                if isinstance(value, str) and related_key:
                    lookup[f"{key}__{related_key}"] = value
                else:
                    lookup[f"{key}_id"] = value
            elif isinstance(value, dict | list):
                self.fail("incorrect_type", t="a nested object")
            else:
                lookup[key] = value
        return lookup

    def _model_name(self) -> str:
        return str(self.related_model._meta.verbose_name)

    def to_representation(self, value: Any) -> Any:
        if self.context.get("natural_keys"):
            key = natural_key_for(type(value))
            return getattr(value, key) if key else value.pk
        # One brief serializer per field, reused for every row: building a ModelSerializer's
        # fields is the expensive part, and a list of 1,000 rows must not do it 1,000 times.
        brief = self.__dict__.get("_brief")
        if brief is None:
            brief = serializer_for(self.related_model)(context=self.context, nested=True)
            self._brief = brief
        return brief.to_representation(value)


@extend_schema_field(OpenApiTypes.BOOL)
class SecretSetField(serializers.Field):
    """Whether a secret is set, without ever rendering the secret itself."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> bool:
        return bool(value)


def _show(data: Any) -> str:
    text = repr(data)
    return text if len(text) <= 80 else text[:77] + "..."


PREFETCH_PREFIX = "prefetched_"


def prefetch_list(name: str) -> Prefetch:
    """Prefetch a to-many relation into a plain list (`prefetched_<name>`), read by the field.

    A normal prefetch still builds a queryset per row; for a 1,000-row page that is measurable.
    """
    return Prefetch(name, to_attr=PREFETCH_PREFIX + name)


def forget_prefetched(instance: Any) -> None:
    """Drop the lists above after a write, so the answer shows the new relations."""
    for name in [n for n in vars(instance) if n.startswith(PREFETCH_PREFIX)]:
        delattr(instance, name)


class PrefetchedManyRelatedField(serializers.ManyRelatedField):
    """Reads a prefetched to-many relation without going through the related manager.

    `instance.tags.all()` clones the prefetched queryset (its whole SQL tree) for every row;
    reading the prefetched list (or the prefetch cache) gives the same objects without that cost.
    """

    def get_attribute(self, instance: Any) -> Any:
        if len(self.source_attrs) == 1:
            listed = getattr(instance, PREFETCH_PREFIX + self.source_attrs[0], None)
            if listed is not None:
                return listed
        cache = getattr(instance, "_prefetched_objects_cache", None)
        if cache is not None and len(self.source_attrs) == 1 and self.source_attrs[0] in cache:
            return list(cache[self.source_attrs[0]])
        return super().get_attribute(instance)


class IdentityURLField(serializers.HyperlinkedIdentityField):
    """An object's URL, reversed once per field and request, then filled in for each row.

    `reverse()` per row (and per related object) is the largest cost of a long list otherwise.
    """

    PLACEHOLDER = 987654321987

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> Any:
        if getattr(obj, "pk", None) in (None, "") or self.lookup_field != "pk":
            return super().get_url(obj, view_name, request, format)
        key = (view_name, format, id(request))
        cached = self.__dict__.get("_url_template")
        if cached is None or cached[0] != key:
            placeholder: Any = _Placeholder(self.PLACEHOLDER)
            template = super().get_url(placeholder, view_name, request, format)
            cached = (key, str(template))
            self._url_template = cached
        return cached[1].replace(str(self.PLACEHOLDER), str(obj.pk))


class _Placeholder:
    def __init__(self, pk: int) -> None:
        self.pk = pk


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "08:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time without an offset (a contract's business hours, in its time zone).

    OpenAPI's `format: time` is RFC 3339's full-time, which requires an offset: these times have
    none by design, so the schema describes them by a pattern instead.
    """
