"""A NUL character in a JSON body is a 400 naming where it is, never a database error."""

from __future__ import annotations

import pytest
from django.test import Client

from common.api.parsers import nul_at
from core.accounts import create_token
from inventory.models import Operator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ("a\x00b", "the body"),
        ({"name": "ok", "slug": "x\x00"}, "slug"),
        ({"devices": ["a", "b\x00"]}, "devices[1]"),
        ({"outer": {"inner": [{"v": "\x00"}]}}, "outer.inner[0].v"),
        ({"k\x00": 1}, "a key in the body"),
        ({"name": "ok", "n": 3, "l": [1, None, True]}, None),
    ],
)
def test_nul_is_found_where_it_is(data: object, where: str | None) -> None:
    assert nul_at(data) == where


def test_a_unique_field_with_a_nul_is_a_400_not_a_500() -> None:
    _, key = create_token("editor", "edit")
    editor = Client(HTTP_AUTHORIZATION=f"Token {key}")
    answer = editor.post(
        "/api/inventory/operators/",
        {"name": "Armor\x00", "slug": "armor"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "NUL character" in answer.json()["detail"]
    assert "name" in answer.json()["detail"]
    assert not Operator.objects.exists()


@pytest.mark.parametrize("encode", ["multipart", "urlencoded"])
def test_a_form_with_a_nul_is_a_400_not_a_500(encode: str) -> None:
    """Found by the API fuzzer: a multipart POST whose tag held a NUL reached the database."""
    from urllib.parse import urlencode

    _, key = create_token("editor", "edit")
    editor = Client(HTTP_AUTHORIZATION=f"Token {key}")
    fields = {"name": "Armor", "slug": "armor", "tags": "x\x00y"}
    if encode == "multipart":
        answer = editor.post("/api/inventory/operators/", fields)
    else:
        answer = editor.post(
            "/api/inventory/operators/",
            urlencode(fields),
            content_type="application/x-www-form-urlencoded",
        )
    assert answer.status_code == 400
    assert "NUL character in tags" in answer.json()["detail"]
    assert not Operator.objects.exists()
