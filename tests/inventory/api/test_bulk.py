"""Bulk create, update and delete: all or nothing, one change-log entry per object."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import ObjectChange
from inventory.models import Operator
from tests.factories.inventory import small_network

pytestmark = pytest.mark.django_db
OPS = "/api/inventory/operators/"


def test_bulk_create_saves_each_and_logs_each(editor: Any) -> None:
    body = [{"name": "Orange", "slug": "orange"}, {"name": "SFR", "slug": "sfr"}]
    response = editor.post(OPS, body, format="json")
    assert response.status_code == 201
    assert [o["slug"] for o in response.json()] == ["orange", "sfr"]
    logged = ObjectChange.objects.filter(action="create", user=editor.user)
    assert sorted(c.object_repr for c in logged) == ["Orange", "SFR"]


def test_bulk_create_with_one_bad_item_writes_nothing(editor: Any) -> None:
    body = [{"name": "Orange", "slug": "orange"}, {"name": "Bad", "slug": "not a slug"}]
    response = editor.post(OPS, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1
    assert "slug" in response.json()["errors"][0]["errors"]
    assert not Operator.objects.exists()
    assert not ObjectChange.objects.exists()


def test_bulk_create_duplicate_within_the_batch_is_refused(editor: Any) -> None:
    body = [{"name": "Orange", "slug": "orange"}, {"name": "Orange", "slug": "orange"}]
    assert editor.post(OPS, body, format="json").status_code == 400
    assert not Operator.objects.exists()


def test_bulk_partial_update_and_atomicity(editor: Any) -> None:
    a = Operator.objects.create(name="A", slug="a")
    b = Operator.objects.create(name="B", slug="b")
    ok = editor.patch(
        OPS, [{"id": a.pk, "noc_phone": "1"}, {"id": b.pk, "noc_phone": "2"}], format="json"
    )
    assert ok.status_code == 200
    assert sorted(Operator.objects.values_list("noc_phone", flat=True)) == ["1", "2"]
    bad = editor.patch(
        OPS, [{"id": a.pk, "noc_phone": "9"}, {"id": b.pk, "portal_url": "x"}], format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"id": b.pk, "errors": {"portal_url": ["Enter a valid URL."]}}]
    assert Operator.objects.get(pk=a.pk).noc_phone == "1"


def test_bulk_put_replaces_and_unknown_ids_are_refused(editor: Any) -> None:
    a = Operator.objects.create(name="A", slug="a", noc_phone="1")
    put = editor.put(OPS, [{"id": a.pk, "name": "A2", "slug": "a2"}], format="json")
    assert put.status_code == 200
    assert Operator.objects.get(pk=a.pk).name == "A2"
    missing = editor.patch(OPS, [{"id": a.pk, "name": "Z"}, {"id": 999999}], format="json")
    assert missing.status_code == 400
    assert Operator.objects.get(pk=a.pk).name == "A2"
    assert editor.patch(OPS, [{"name": "no id"}], format="json").status_code == 400
    assert editor.patch(OPS, [], format="json").status_code == 400


def test_bulk_delete_is_all_or_nothing(editor: Any) -> None:
    net = small_network()
    free = Operator.objects.create(name="Free", slug="free")
    used = net["operator"]  # holds contracts and links: protected
    response = editor.delete(OPS, [free.pk, {"id": used.pk}], format="json")
    assert response.status_code == 409
    assert Operator.objects.filter(pk=free.pk).exists()
    assert editor.delete(OPS, [free.pk], format="json").status_code == 204
    assert not Operator.objects.filter(pk=free.pk).exists()
    assert ObjectChange.objects.filter(action="delete", user=editor.user).count() == 1


def test_reader_cannot_bulk_write(reader: Any) -> None:
    a = Operator.objects.create(name="A", slug="a")
    assert reader.post(OPS, [{"name": "B", "slug": "b"}], format="json").status_code == 403
    assert reader.patch(OPS, [{"id": a.pk, "name": "Z"}], format="json").status_code == 403
    assert reader.delete(OPS, [a.pk], format="json").status_code == 403
    assert Operator.objects.get().name == "A"
