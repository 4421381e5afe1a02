"""The three roles of Menhir and how a Django user maps onto them.

Roles are Django groups named after the role; superusers are admins. Each role includes the
ones below it: admin ⊃ edit ⊃ read.
"""

from __future__ import annotations

from typing import Any

READ = "read"
EDIT = "edit"
ADMIN = "admin"
ROLES = (READ, EDIT, ADMIN)
_RANK = {None: 0, READ: 1, EDIT: 2, ADMIN: 3}


def user_role(user: Any) -> str | None:
    """The highest role a user holds, or None for anonymous users and users without a role."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    if hasattr(user, "_menhir_role"):
        cached: str | None = user._menhir_role
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in (ADMIN, EDIT, READ) if r in names), None)
    user._menhir_role = role
    return role


def has_role(user: Any, needed: str) -> bool:
    return _RANK[user_role(user)] >= _RANK[needed]
