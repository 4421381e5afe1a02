"""Users, roles and tokens: the side effects of giving someone access (used by CLI, API, admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from common.roles import ADMIN, ALL_ROLES, EDIT
from core.models import Token

# Editors edit these apps' objects in the Django admin; everything else there is for admins.
EDITABLE_APPS = ("inventory", "alerting", "topology", "sla")


def _edit_group(group: Group) -> None:
    from django.contrib.auth.models import Permission

    wanted = Permission.objects.filter(content_type__app_label__in=EDITABLE_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)


@transaction.atomic
def set_role(user: Any, role: str) -> None:
    """Give `user` exactly one role. Admins are superusers; editors reach the Django admin with
    the permissions of the inventory, alerting, topology and SLA apps only. The `operator` role
    needs a binding to an inventory operator too (inventory.accounts.make_operator_account)."""
    if role not in ALL_ROLES:
        raise ValueError(f"unknown role {role!r}: expected one of {', '.join(ALL_ROLES)}")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}
    _edit_group(groups[EDIT])
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])
    user.is_staff = role in (ADMIN, EDIT)
    user.is_superuser = role == ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    user._menhir_role = role


@transaction.atomic
def create_token(
    username: str, role: str, description: str = "", expires: datetime | None = None
) -> tuple[Token, str]:
    """Create the user if needed, give it `role` and a new token; returns the token and its key."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    set_role(user, role)
    return Token.issue(user, description=description, expires=expires)
