"""CRUD, roles, validation and change log of every inventory endpoint, generated from CASES."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from core.models import ObjectChange
from tests.factories.inventory import small_network
from tests.inventory.api.cases import CASES, Case

pytestmark = pytest.mark.django_db

ids = [c.path for c in CASES]


@pytest.fixture
def network() -> dict[str, Any]:
    return small_network()


def url(case: Case, pk: int | None = None) -> str:
    return f"/api/inventory/{case.path}/" + (f"{pk}/" if pk else "")


def count(client: APIClient, case: Case) -> int:
    return int(client.get(url(case)).json()["count"])


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_anonymous_and_roleless_users_get_nothing(
    case: Case, network: Any, client_for: Any
) -> None:
    obj = case.factory()
    assert APIClient().get(url(case)).status_code == 401
    assert APIClient().get(url(case, obj.pk)).status_code == 401
    assert APIClient().post(url(case), case.create, format="json").status_code == 401
    assert client_for(None).get(url(case)).status_code == 403


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_reader_can_list_and_get_but_not_write(case: Case, network: Any, reader: Any) -> None:
    obj = case.factory()
    listing = reader.get(url(case))
    assert listing.status_code == 200
    assert obj.pk in [row["id"] for row in listing.json()["results"]]
    detail = reader.get(url(case, obj.pk)).json()
    assert detail["id"] == obj.pk
    assert detail["display"] == str(obj)
    assert detail["url"] == f"http://testserver/api/inventory/{case.path}/{obj.pk}/"
    urls = [row["url"] for row in listing.json()["results"]]
    assert urls == [f"http://testserver{url(case, row['id'])}" for row in listing.json()["results"]]
    before = count(reader, case)
    assert reader.post(url(case), case.create, format="json").status_code == 403
    assert reader.patch(url(case, obj.pk), case.update, format="json").status_code == 403
    assert reader.delete(url(case, obj.pk)).status_code == 403
    assert count(reader, case) == before


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_editor_creates_updates_and_deletes(case: Case, network: Any, editor: Any) -> None:
    created = editor.post(url(case), case.create, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    patched = editor.patch(url(case, pk), case.update, format="json")
    assert patched.status_code == 200, patched.json()
    for name, value in case.update.items():
        assert patched.json()[name] == value
    assert editor.delete(url(case, pk)).status_code == 204
    assert editor.get(url(case, pk)).status_code == 404


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_invalid_patch_is_400_with_field_errors_and_changes_nothing(
    case: Case, network: Any, editor: Any
) -> None:
    obj = case.factory()
    before = editor.get(url(case, obj.pk)).json()
    response = editor.patch(url(case, obj.pk), case.invalid, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) & (set(case.invalid) | {"non_field_errors"}), errors
    after = editor.get(url(case, obj.pk)).json()
    assert after == before


@pytest.mark.parametrize("case", [c for c in CASES if c.path not in ("departments", "communes")])
def test_writes_are_change_logged_with_the_api_user(case: Case, network: Any, editor: Any) -> None:
    pk = editor.post(url(case), case.create, format="json").json()["id"]
    editor.patch(url(case, pk), case.update, format="json")
    history = editor.get(f"{url(case, pk)}changes/").json()
    assert [e["action"] for e in history["results"]] == ["update", "create"]
    assert {e["user_name"] for e in history["results"]} == {editor.user.username}
    entries = ObjectChange.objects.filter(changed_object_id=pk, user=editor.user)
    assert {e.source for e in entries} == {"api"}


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_invalid_create_is_400_and_writes_nothing(case: Case, network: Any, editor: Any) -> None:
    before = count(editor, case)
    changes = ObjectChange.objects.count()
    response = editor.post(url(case), {**case.create, **case.invalid}, format="json")
    assert response.status_code == 400
    assert set(response.json()) & (set(case.invalid) | {"non_field_errors"}), response.json()
    assert count(editor, case) == before
    assert ObjectChange.objects.count() == changes


def test_tags_are_written_by_slug_and_the_answer_shows_them(network: Any, editor: Any) -> None:
    from core.models import Tag

    Tag.objects.create(name="Critical site", slug="critical")
    site = network["sites"][0]
    path = f"/api/inventory/establishments/{site.pk}/"
    assert editor.get(path).json()["tags"] == []
    patched = editor.patch(path, {"tags": ["critical"]}, format="json")
    assert patched.status_code == 200, patched.json()
    assert [t["slug"] for t in patched.json()["tags"]] == ["critical"]
    listed = editor.get("/api/inventory/establishments/?tag=critical").json()["results"]
    assert [t["display"] for t in listed[0]["tags"]] == ["Critical site"]
    assert editor.patch(path, {"tags": ["nope"]}, format="json").status_code == 400
