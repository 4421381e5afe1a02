"""Role-based API permissions: read-only for `read`, writes for `edit`, management for `admin`;
operator accounts only read the endpoints whose model has an operator scope (common.scoping)."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from common.roles import ADMIN, EDIT, READ, has_role, is_operator
from common.scoping import is_scoped


def view_model(view: Any) -> Any:
    queryset = getattr(view, "queryset", None)
    return getattr(queryset, "model", None)


def operator_allowed(request: Request, view: Any) -> bool:
    """An operator reads scoped endpoints and runs only the actions the view lists in
    `operator_actions` (acknowledging its own incidents); everything else is refused."""
    if not is_scoped(view_model(view)):
        return False
    if request.method in permissions.SAFE_METHODS:
        return True
    return getattr(view, "action", None) in getattr(view, "operator_actions", ())


class RolePermission(permissions.BasePermission):
    """Anonymous users get nothing; reading needs `read`, writing needs `edit` (or the view's
    `write_role`, e.g. `admin` for users and tokens)."""

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if is_operator(request.user):
            return operator_allowed(request, view)
        if request.method in permissions.SAFE_METHODS:
            return has_role(request.user, getattr(view, "read_role", READ))
        return has_role(request.user, getattr(view, "write_role", EDIT))


class IsAdminRole(RolePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and has_role(request.user, ADMIN)
        )
