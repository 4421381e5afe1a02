"""Tickets, suspensions, reopenings and maintenance windows: rules and change log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alerting.models import (
    Decision,
    MaintenanceWindow,
    Ticket,
    TicketReopening,
    TicketSuspension,
)
from common.changes import change_context
from core.models import ObjectChange
from tests.factories.alerting import T0, MaintenanceWindowFactory, TicketFactory
from tests.factories.inventory import LinkFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def test_ticket_takes_its_establishment_from_the_link() -> None:
    ticket = TicketFactory.create()
    assert ticket.link is not None
    assert ticket.establishment_id == ticket.link.establishment_id


def test_ticket_restored_before_opened_is_refused_by_clean_and_database() -> None:
    ticket = TicketFactory.build(link=LinkFactory.create(), restored_at=T0 - timedelta(minutes=1))
    with pytest.raises(ValidationError) as caught:
        ticket.full_clean(exclude=["incidents"])
    assert "restored_at" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ticket.save()


def test_ticket_on_another_operators_link_is_refused() -> None:
    ticket = TicketFactory.build(link=LinkFactory.create(), operator=OperatorFactory.create())
    with pytest.raises(ValidationError) as caught:
        ticket.full_clean()
    assert caught.value.message_dict["link"] == ["This link belongs to another operator."]


def test_ticket_reference_is_unique_per_operator_only() -> None:
    first = TicketFactory.create(reference="TT1")
    TicketFactory.create(reference="TT1")  # another operator's: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory.create(reference="TT1", link=LinkFactory.create(operator=first.operator))


def test_suspension_must_end_after_it_starts_and_only_accepted_ones_count() -> None:
    ticket = TicketFactory.create()
    bad = TicketSuspension(ticket=ticket, start=T0, end=T0)
    with pytest.raises(ValidationError):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()
    s = TicketSuspension.objects.create(ticket=ticket, start=T0, end=T0 + timedelta(hours=1))
    assert not s.accepted
    s.decision = Decision.ACCEPTED
    assert s.accepted


def test_reopening_restored_before_reopened_is_refused() -> None:
    ticket = TicketFactory.create(restored_at=T0 + timedelta(hours=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketReopening.objects.create(
            ticket=ticket, at=T0 + timedelta(hours=2), restored_at=T0 + timedelta(hours=1)
        )


def test_ticket_changes_are_logged_with_who_changed_them() -> None:
    with change_context(source="test"):
        ticket = TicketFactory.create()
        ticket.restored_at = T0 + timedelta(hours=3)
        ticket.save()
    entries = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Ticket), changed_object_id=ticket.pk
    ).order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    pre, post = entries[1].prechange_data or {}, entries[1].postchange_data or {}
    assert pre["restored_at"] is None
    assert post["restored_at"].startswith("2026-03-04 13:00")


def test_maintenance_notice_and_reference_rules() -> None:
    window = MaintenanceWindowFactory.create(reference="M-1")
    assert window.notice_seconds == 15 * 86400
    with pytest.raises(IntegrityError), transaction.atomic():
        MaintenanceWindowFactory.create(reference="M-1", operator=window.operator)
    MaintenanceWindowFactory.create(reference="", operator=window.operator)
    MaintenanceWindowFactory.create(reference="", operator=window.operator)  # blank: no uniqueness
    late = MaintenanceWindow(title="x", planned_start=T0, planned_end=T0, notified_at=T0)
    with pytest.raises(ValidationError) as caught:
        late.full_clean()
    assert "planned_end" in caught.value.message_dict
