"""The scoping registry itself: staff see everything, operators their part, unknown models
nothing (deny by default)."""

from __future__ import annotations

import datetime as dt

import pytest

from alerting.models import AlertRoute, MaintenanceWindow
from common.scoping import is_scoped, scope
from core.models import ObjectChange
from inventory.accounts import create_operator_user
from inventory.models import Contract, Operator, Pop
from tests.common.api.clients import make_user
from tests.security.networks import two_operators

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 5, 4, 22, 0, tzinfo=dt.UTC)


def window(operator: Operator | None, title: str) -> MaintenanceWindow:
    return MaintenanceWindow.objects.create(
        title=title,
        operator=operator,
        planned_start=START,
        planned_end=START + dt.timedelta(hours=4),
        notified_at=START - dt.timedelta(days=3),
    )


def test_maintenance_windows_are_scoped_to_their_operator() -> None:
    net = two_operators()
    window(net.armor, "Armor works")
    window(net.breizh, "Breizh works")
    window(None, "Syndicate works")
    armor = create_operator_user("noc-armor", "armor")
    seen = scope(MaintenanceWindow.objects.all(), armor)
    assert [w.title for w in seen] == ["Armor works"]
    staff = make_user("staff", "read")
    assert scope(MaintenanceWindow.objects.all(), staff).count() == 3


def test_models_without_a_scope_are_invisible_to_operators() -> None:
    two_operators()
    armor = create_operator_user("noc-armor", "armor")
    for model in (Contract, Pop, AlertRoute, ObjectChange):
        assert not is_scoped(model)
        assert scope(model.objects.all(), armor).count() == 0
