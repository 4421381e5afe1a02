"""What an operator's account may see: one registry of per-model scopes, applied everywhere.

Each app registers, for each model an operator may see, a function returning the part of a
queryset that belongs to one operator (inventory: links, the establishments, devices and
interfaces they reach, the operator itself; alerting: incidents). API viewsets and pages call
`scope()`; a model without a registered scope is invisible to operators (deny by default), so a
new endpoint never leaks another operator's objects. Each registration also names the fields an
operator may read (`visible()`): an allow-list, so a field added later is internal until someone
decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from common.roles import is_operator

M = TypeVar("M", bound=Model)
Scope = Callable[[QuerySet[Any], int], QuerySet[Any]]

_scopes: dict[type[Model], Scope] = {}
_fields: dict[type[Model], frozenset[str]] = {}

# Shown with every object an operator sees, whatever the model.
ALWAYS = frozenset({"id", "url", "display"})


def register(model: type[Model], scope_fn: Scope, fields: Iterable[str] = ()) -> None:
    """Declare the part of `model` an operator sees: `scope_fn(queryset, operator_id)`, and
    which of its fields (the allow-list: every other field is syndicate-internal)."""
    _scopes[model] = scope_fn
    _fields[model] = frozenset(fields) | ALWAYS


def operator_fields(model: type[Model]) -> frozenset[str]:
    """The fields of `model` an operator account may read (only ALWAYS when none declared)."""
    return _fields.get(model._meta.concrete_model or model, ALWAYS)


def visible(user: Any, model: type[Model], data: dict[str, Any]) -> dict[str, Any]:
    """`data` (a serialised object of `model`) as `user` may read it: operators get the
    allow-listed fields only; staff everything."""
    if not is_operator(user):
        return data
    allowed = operator_fields(model)
    return {key: value for key, value in data.items() if key in allowed}


def is_scoped(model: type[Model] | None) -> bool:
    """Whether operators may see some objects of `model` at all."""
    return model is not None and (model._meta.concrete_model or model) in _scopes


def operator_id(user: Any) -> int | None:
    """The inventory operator an operator account is bound to (None when not bound)."""
    if not is_operator(user):
        return None
    if not hasattr(user, "_menhir_operator_id"):
        account = getattr(user, "operator_account", None)
        user._menhir_operator_id = account.operator_id if account is not None else None
    found: int | None = user._menhir_operator_id
    return found


def scope(queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    """`queryset` as `user` may see it: unchanged for staff roles, an operator's own part for
    operator accounts, nothing for an operator account bound to no operator."""
    if not is_operator(user):
        return queryset
    model = queryset.model._meta.concrete_model or queryset.model
    scope_fn = _scopes.get(model)
    owner = operator_id(user)
    if scope_fn is None or owner is None:
        return queryset.none()
    return scope_fn(queryset, owner)
