"""OpenAPI (drf-spectacular) descriptions of the base API's custom fields.

A relation is a brief object on output and an id or a natural key on input.
"""

from __future__ import annotations

import inspect
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from common.api.registry import brief_serializer_for, natural_key_for


class NestedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "common.api.fields.NestedRelatedField"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        model = self.target.related_model
        if direction == "response":
            brief = brief_serializer_for(model)(nested=True)
            return auto_schema.resolve_serializer(brief, direction).ref
        key = natural_key_for(model)
        by_id = {"type": "integer", "description": f"id of the {model._meta.verbose_name}"}
        if not key:
            return by_id
        by_key = {"type": "string", "description": f"{key} of the {model._meta.verbose_name}"}
        return {"oneOf": [by_id, by_key]}


BULK_ACTIONS = ("bulk_update", "bulk_partial_update", "bulk_destroy")


class BulkAutoSchema(AutoSchema):
    """Names the bulk operations on list routes and gives them list bodies."""

    def get_operation_id(self) -> str:
        action = getattr(self.view, "action", None)
        if action in BULK_ACTIONS:
            return "_".join([*self._tokenize_path(), action])
        return str(super().get_operation_id())

    def get_description(self) -> str:  # type: ignore[override]
        """The action's docstring, else the viewset's own, else the model's (never a base's)."""
        action = getattr(self.view, getattr(self.view, "action", None) or "", None)
        if action is not None and getattr(action, "__doc__", None):
            return inspect.cleandoc(action.__doc__)
        own = type(self.view).__dict__.get("__doc__")
        if own:
            return inspect.cleandoc(own)
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        return inspect.cleandoc(model.__doc__ or "") if model is not None else ""

    def get_request_serializer(self) -> Any:
        action = getattr(self.view, "action", None)
        if action == "bulk_destroy":
            from common.api.views import BulkIdSerializer

            return BulkIdSerializer(many=True)
        if action in BULK_ACTIONS:
            return _with_id(self.view.get_serializer_class())(many=True)  # type: ignore[attr-defined]
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        action = getattr(self.view, "action", None)
        if action == "bulk_destroy":
            return {204: None}
        if action in BULK_ACTIONS:
            return self.view.get_serializer(many=True)  # type: ignore[attr-defined]
        return super().get_response_serializers()

    def _is_list_view(self, serializer: Any = None) -> bool:
        if getattr(self.view, "action", None) in BULK_ACTIONS:
            return False  # a bulk answer is a plain list, not a page
        return bool(super()._is_list_view(serializer))


_with_ids: dict[type[Any], type[Any]] = {}


def _with_id(serializer_class: type[Any]) -> type[Any]:
    """`Bulk<Name>Serializer`: the model's serializer with a required, writable `id`."""
    if serializer_class not in _with_ids:
        name = f"Bulk{serializer_class.__name__}"
        attrs = {"id": serializers.IntegerField(min_value=1), "__module__": __name__}
        _with_ids[serializer_class] = type(name, (serializer_class,), attrs)
    return _with_ids[serializer_class]
