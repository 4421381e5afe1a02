"""Which serializer represents each model, and which field is its natural key.

Filled as serializer classes are defined (BaseModelSerializer.__init_subclass__), read by the
related fields, so a relation to any model renders with that model's own brief form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from common.api.serializers import BaseModelSerializer

_serializers: dict[type[models.Model], type[BaseModelSerializer[Any]]] = {}
_natural_keys: dict[type[models.Model], str] = {}
_briefs: dict[type[Any], type[Any]] = {}


def register(
    model: type[models.Model], serializer: type[BaseModelSerializer[Any]], natural_key: str | None
) -> None:
    _serializers[model] = serializer
    if natural_key:
        _natural_keys[model] = natural_key


def serializer_for(model: type[models.Model]) -> type[BaseModelSerializer[Any]]:
    try:
        return _serializers[model._meta.concrete_model or model]
    except KeyError:
        raise LookupError(f"no API serializer registered for {model._meta.label}") from None


def brief_serializer_for(model: type[models.Model]) -> type[BaseModelSerializer[Any]]:
    """A subclass named `Brief<Name>Serializer`, so the schema gets a component of its own."""
    full = serializer_for(model)
    if full not in _briefs:
        _briefs[full] = type(f"Brief{full.__name__}", (full,), {"__module__": full.__module__})
    return _briefs[full]


def natural_key_for(model: type[models.Model]) -> str | None:
    return _natural_keys.get(model._meta.concrete_model or model)
