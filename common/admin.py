"""Django admin pieces shared by every app: decisions reserved to administrators.

Editors reach the Django admin to correct data, but some fields are decisions the application
reserves to administrators (an exclusion claim's decision lowers an operator's penalties). A
`DecisionAdmin` names them in `admin_only_fields`: for anyone below the admin role they are
read-only on every form, and an object already decided can no longer be changed or deleted by
them, through the change form, the list's bulk actions or an inline.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from common.roles import ADMIN, has_role


class DecisionAdmin(admin.ModelAdmin[Any]):
    admin_only_fields: tuple[str, ...] = ()

    def is_decided(self, obj: Any) -> bool:
        """Whether `obj` carries a decision already (then only an admin may touch it)."""
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if has_role(request.user, ADMIN):
            return fields
        return fields + tuple(f for f in self.admin_only_fields if f not in fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.is_decided(obj) and not has_role(request.user, ADMIN):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not has_role(request.user, ADMIN) and (obj is None or self.is_decided(obj)):
            return False  # the list's bulk delete (obj None) could reach decided objects
        return super().has_delete_permission(request, obj)
