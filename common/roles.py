"""The roles of Menhir and how a Django user maps onto them.

Roles are Django groups named after the role; superusers are admins. The staff roles nest:
admin ⊃ edit ⊃ read. The fourth role, `operator`, stands apart: an operator's account sees only
what belongs to its telecom operator (see common.scoping), so it holds none of the staff roles and
every check that asks for `read` refuses it unless the view opted in to scoping.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

READ = "read"
EDIT = "edit"
ADMIN = "admin"
OPERATOR = "operator"
ROLES = (READ, EDIT, ADMIN)
ALL_ROLES = (READ, EDIT, ADMIN, OPERATOR)
ROLE_LABELS = {
    READ: _("reader"),
    EDIT: _("editor"),
    ADMIN: _("administrator"),
    OPERATOR: _("operator"),
}
_RANK = {None: 0, OPERATOR: 0, READ: 1, EDIT: 2, ADMIN: 3}


def role_from_groups(names: set[str], is_superuser: bool = False) -> str | None:
    """The role a set of group names gives (admin wins, operator only when nothing else)."""
    if is_superuser:
        return ADMIN
    return next((r for r in (ADMIN, EDIT, READ, OPERATOR) if r in names), None)


def user_role(user: Any) -> str | None:
    """The highest role a user holds, or None for anonymous users and users without a role."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, "_menhir_role"):
        cached: str | None = user._menhir_role
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = role_from_groups(names, user.is_superuser)
    user._menhir_role = role
    return role


def has_role(user: Any, needed: str) -> bool:
    return _RANK[user_role(user)] >= _RANK[needed]


def is_operator(user: Any) -> bool:
    return user_role(user) == OPERATOR
