"""Filters of the change log and of users (the API's /api/core/ lists)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import QuerySet

from common.filtersets import BaseFilterSet
from core.models import AuditEvent, ObjectChange, Token


class ObjectChangeFilterSet(BaseFilterSet):
    """`?object_type=inventory.establishment&object_id=3&user=alice&time__gte=…&action=update`."""

    object_type = django_filters.CharFilter(
        method="filter_object_type",
        label="Object type (app_label.model, e.g. inventory.establishment)",
        validators=[RegexValidator(r"^\w+\.\w+$", "Expected app_label.model.")],
    )
    related_filters = {"object_id": "changed_object_id", "user": "user__username"}
    search_fields = ("object_repr__icontains", "user_name__iexact")

    class Meta:
        model = ObjectChange
        fields = ["time", "action", "source", "user_name", "request_id", "user"]

    def filter_object_type(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        app_label, model = value.lower().split(".", 1)
        return queryset.filter(
            changed_object_type__app_label=app_label, changed_object_type__model=model
        )


class UserFilterSet(BaseFilterSet):
    search_fields = ("username__icontains", "email__icontains", "last_name__icontains")

    class Meta:
        model = get_user_model()
        fields = ["username", "email", "is_active"]


class TokenFilterSet(BaseFilterSet):
    related_filters = {"user": "user__username"}
    search_fields = ("description__icontains", "prefix__istartswith")

    class Meta:
        model = Token
        fields = ["prefix", "description", "expires", "user"]


class AuditEventFilterSet(BaseFilterSet):
    """`?kind=login_failed&username=alice&time__gte=…&ip=…`."""

    search_fields = ("username__icontains", "detail__icontains")

    class Meta:
        model = AuditEvent
        fields = ["time", "kind", "username", "ip"]
