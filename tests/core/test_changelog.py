"""The change log records who changed what, for every create, update and delete."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from common.changes import change_context
from common.models import SECRET_MASK
from core.models import ObjectChange, Tag
from inventory.models import Operator, SNMPProfile

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_each_logged_with_user_and_diff() -> None:
    user = get_user_model().objects.create(username="alice")
    with change_context(user=user, source="test"):
        op = Operator.objects.create(name="Orange", slug="orange")
        op.noc_email = "noc@orange.example"
        op.save()
        op_id = op.pk
        op.delete()
    changes = list(ObjectChange.objects.filter(changed_object_id=op_id).order_by("pk"))
    assert [c.action for c in changes] == ["create", "update", "delete"]
    assert all(c.user == user and c.user_name == "alice" and c.source == "test" for c in changes)
    assert changes[1].diff() == {"noc_email": ("", "noc@orange.example")}
    assert (changes[2].prechange_data or {})["name"] == "Orange"
    assert changes[2].postchange_data is None


def test_save_without_change_writes_nothing() -> None:
    op = Operator.objects.create(name="SFR", slug="sfr")
    before = ObjectChange.objects.count()
    op.save()
    assert ObjectChange.objects.count() == before


def test_tag_changes_are_logged() -> None:
    op = Operator.objects.create(name="Bouygues", slug="bouygues")
    tag = Tag.objects.create(name="lot-2")
    op.tags.add(tag)
    last = ObjectChange.objects.filter(changed_object_id=op.pk).order_by("-pk").first()
    assert last is not None
    assert last.diff() == {"tags": ([], ["lot-2"])}


def test_secrets_are_masked_in_the_change_log_and_encrypted_at_rest() -> None:
    from django.db import connection

    profile = SNMPProfile.objects.create(name="v2", community="s3cret-community")
    change = ObjectChange.objects.get(changed_object_id=profile.pk, action="create")
    assert (change.postchange_data or {})["community"] == SECRET_MASK
    assert "s3cret" not in str(change.postchange_data)
    with connection.cursor() as cur:
        cur.execute("SELECT community FROM inventory_snmpprofile WHERE id = %s", [profile.pk])
        stored = cur.fetchone()[0]
    assert "s3cret" not in stored
    assert SNMPProfile.objects.get(pk=profile.pk).community == "s3cret-community"


def test_bulk_context_writes_no_per_object_entries() -> None:
    before = ObjectChange.objects.count()
    with change_context(source="seed", log_each_object=False):
        Operator.objects.create(name="Axione", slug="axione")
    assert ObjectChange.objects.count() == before
