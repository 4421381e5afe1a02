"""Roles: editors edit the inventory in the admin but not users; readers never reach the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.accounts import set_role

pytestmark = pytest.mark.django_db


def _login(role: str) -> Client:
    user = get_user_model().objects.create_user(f"u-{role}", password="pw-role-12345")
    set_role(user, role)
    client = Client()
    client.force_login(user)
    return client


def test_editor_edits_inventory_in_the_admin_but_not_users() -> None:
    editor = _login("edit")
    assert editor.get("/admin/inventory/establishment/").status_code == 200
    assert editor.get("/admin/inventory/establishment/add/").status_code == 200
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/core/token/").status_code == 403


def test_reader_never_reaches_the_admin_and_admin_reaches_everything() -> None:
    reader = _login("read")
    assert reader.get("/admin/inventory/establishment/").status_code == 302
    admin = _login("admin")
    assert admin.get("/admin/auth/user/").status_code == 200


def test_changing_role_removes_the_old_one() -> None:
    user = get_user_model().objects.create_user("mover", password="pw-mover-12345")
    set_role(user, "admin")
    set_role(user, "read")
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["read"]
