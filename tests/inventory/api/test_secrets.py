"""SNMP secrets never leave the server: not in lists, details, write answers, history or CSV."""

from __future__ import annotations

from typing import Any

import pytest

from inventory.models import SNMPProfile

pytestmark = pytest.mark.django_db
SECRETS = ("community-s3cret", "authkey-s3cret", "privkey-s3cret")
PROFILES = "/api/inventory/snmp-profiles/"


def assert_no_secret(body: bytes) -> None:
    for secret in SECRETS:
        assert secret.encode() not in body


def test_secrets_are_write_only_everywhere(editor: Any) -> None:
    created = editor.post(PROFILES, {"name": "v2", "community": SECRETS[0]}, format="json")
    assert created.status_code == 201
    assert created.json()["community_set"] is True
    assert "community" not in created.json()
    pk = created.json()["id"]
    v3 = {
        "name": "v3",
        "version": "v3",
        "username": "menhir",
        "auth_protocol": "sha",
        "auth_key": SECRETS[1],
        "priv_protocol": "aes128",
        "priv_key": SECRETS[2],
    }
    created_v3 = editor.post(PROFILES, v3, format="json")
    assert created_v3.status_code == 201
    assert created_v3.json()["auth_key_set"]
    assert created_v3.json()["priv_key_set"]
    patched = editor.patch(f"{PROFILES}{pk}/", {"community": SECRETS[0] + "x"}, format="json")
    assert SNMPProfile.objects.get(pk=pk).community == SECRETS[0] + "x"
    bodies = [
        created.content, created_v3.content, patched.content,
        editor.get(PROFILES).content, editor.get(f"{PROFILES}{pk}/").content,
        editor.get(f"{PROFILES}{pk}/changes/").content, editor.get("/api/core/changes/").content,
        editor.get(f"{PROFILES}?format=csv").content,
        editor.get(f"{PROFILES}?format=csv&q=v3").content,
        editor.get("/api/core/changes/?format=csv").content,
    ]  # fmt: skip
    for body in bodies:
        assert_no_secret(body)
    csv_header = bodies[7].decode().splitlines()[0].split(",")
    assert "community" not in csv_header
    assert "community_set" in csv_header


def test_invalid_v3_profile_is_refused_without_echoing_the_key(editor: Any) -> None:
    body = {
        "name": "weak",
        "version": "v3",
        "username": "u",
        "auth_protocol": "sha",
        "auth_key": "short-s3cret"[:6],
    }
    response = editor.post(PROFILES, body, format="json")
    assert response.status_code == 400
    assert "auth_key" in response.json()
    assert b"short-" not in response.content
    assert not SNMPProfile.objects.exists()
