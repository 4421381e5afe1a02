"""Tokens, users and the change log through the API; token authentication itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import ObjectChange, Token
from tests.common.api.clients import token_client

pytestmark = pytest.mark.django_db
OPS = "/api/inventory/operators/"


def test_expired_and_wrong_tokens_are_refused(client_for: Any) -> None:
    expired = client_for("admin", expires=timezone.now() - dt.timedelta(minutes=1))
    assert expired.get(OPS).status_code == 401
    assert token_client("0" * 40).get(OPS).status_code == 401
    assert client_for("read").get(OPS).status_code == 200


def test_token_creation_shows_the_key_once_and_it_works(admin: Any, client_for: Any) -> None:
    other = client_for("read").user
    created = admin.post(
        "/api/core/tokens/", {"user": other.username, "description": "ci"}, format="json"
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert token_client(key).get(OPS).status_code == 200
    listing = admin.get("/api/core/tokens/")
    assert key.encode() not in listing.content
    assert key.encode() not in admin.get(f"/api/core/tokens/{created.json()['id']}/").content
    assert Token.objects.filter(key_hash__contains=key).count() == 0


def test_users_list_only_their_own_tokens_and_cannot_create(client_for: Any, admin: Any) -> None:
    editor = client_for("edit")
    rows = editor.get("/api/core/tokens/").json()["results"]
    assert [r["user"] for r in rows] == [editor.user.username]
    assert editor.post("/api/core/tokens/", {}, format="json").status_code == 403
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    refused = admin.post("/api/core/tokens/", {"expires": past}, format="json")
    assert refused.status_code == 400
    assert "expires" in refused.json()


def test_users_and_roles_are_admin_only(admin: Any, editor: Any, reader: Any) -> None:
    assert editor.get("/api/core/users/").status_code == 403
    assert reader.get("/api/core/users/").status_code == 403
    body = {"username": "bob", "role": "edit", "password": "a-long-Passphrase-42"}
    created = admin.post("/api/core/users/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["role"] == "edit"
    assert "password" not in created.json()
    assert b"Passphrase" not in created.content
    promoted = admin.patch(
        f"/api/core/users/{created.json()['id']}/", {"role": "admin"}, format="json"
    )
    assert promoted.json()["role"] == "admin"
    assert (
        admin.post("/api/core/users/", {"username": "x", "role": "boss"}, format="json").status_code
        == 400
    )


def test_change_log_is_read_only_and_filterable(editor: Any, admin: Any) -> None:
    op = editor.post(OPS, {"name": "Orange", "slug": "orange"}, format="json").json()
    editor.patch(f"{OPS}{op['id']}/", {"noc_phone": "3900"}, format="json")
    changes = "/api/core/changes/"
    rows = editor.get(f"{changes}?object_type=inventory.operator&object_id={op['id']}").json()
    assert [r["action"] for r in rows["results"]] == ["update", "create"]
    mine = editor.get(f"{changes}?user={editor.user.username}&action=create").json()
    assert mine["count"] == 1
    since = (timezone.now() + dt.timedelta(hours=1)).isoformat().replace("+", "%2B")
    assert editor.get(f"{changes}?time__gte={since}").json()["count"] == 0
    assert editor.get(f"{changes}?object_type=operator").status_code == 400
    entry = ObjectChange.objects.first()
    assert entry is not None
    assert admin.delete(f"{changes}{entry.pk}/").status_code == 405
    assert APIClient().get(changes).status_code == 401
