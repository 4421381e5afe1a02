"""The evaluation file built from the database: tickets, maintenance windows, service classes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from alerting.models.tickets import Decision, TicketReopening, TicketSuspension
from sla.calc.parser import parse_evaluation
from sla.inputs import build_inputs
from tests.factories import inventory as f
from tests.factories.alerting import MaintenanceWindowFactory, TicketFactory
from tests.factories.sla import NOW, at, small_month

pytestmark = pytest.mark.django_db


def test_tickets_with_suspensions_and_reopenings() -> None:
    month = small_month()
    t = TicketFactory.create(
        link=month.link_a,
        reference="T1",
        opened_at=at(10, 10),
        restored_at=at(10, 11),
        imputability="unknown",
    )
    TicketSuspension.objects.create(
        ticket=t, start=at(10, 10, 10), end=at(10, 10, 20), decision=Decision.ACCEPTED
    )
    TicketSuspension.objects.create(
        ticket=t, start=at(10, 10, 30), end=at(10, 10, 40), decision=Decision.REJECTED
    )
    TicketReopening.objects.create(ticket=t, at=at(10, 12), restored_at=at(10, 13))
    TicketFactory.create(
        link=month.link_b,
        reference="OLD",
        opened_at=at(1, 0, month=5),
        restored_at=at(2, 0, month=5),
    )
    inputs = build_inputs(month.contract, 2025, 6, now=NOW)
    (ticket,) = inputs.document["tickets"]
    assert ticket == {
        "id": "T1", "subscription": "A", "opened_at": "2025-06-10T10:00:00Z", "fault_start": None,
        "acknowledged_at": None, "restored_at": "2025-06-10T11:00:00Z", "imputability": "unknown",
        "suspensions": [{"start": "2025-06-10T10:10:00Z", "end": "2025-06-10T10:20:00Z",
                         "accepted": True}],
        "reopenings": [{"at": "2025-06-10T12:00:00Z", "restored_at": "2025-06-10T13:00:00Z"}],
    }  # fmt: skip
    parse_evaluation(inputs.document)  # the engine accepts it


def test_ticket_the_engine_would_refuse_is_used_without_its_doubtful_part() -> None:
    month = small_month()
    TicketFactory.create(
        link=month.link_a,
        reference="T2",
        opened_at=at(10, 10),
        fault_start=at(10, 10, 30),
        restored_at=at(10, 11),
    )
    inputs = build_inputs(month.contract, 2025, 6, now=NOW)
    assert inputs.document["tickets"][0]["fault_start"] is None
    assert inputs.quality == ["ticket T2: fault start after its opening; fault start ignored"]
    parse_evaluation(inputs.document)


def test_maintenance_windows_reach_links_directly_through_devices_and_pops() -> None:
    month = small_month()
    direct = MaintenanceWindowFactory.create(
        reference="W-LINK", planned_start=at(3, 1), planned_end=at(3, 3), notified_at=at(1, 0)
    )
    direct.links.add(month.link_a)
    on_pop = MaintenanceWindowFactory.create(
        reference="W-POP",
        planned_start=at(4, 1),
        planned_end=at(4, 3),
        notified_at=at(1, 0, month=5),
        curative=True,
    )
    assert month.link_b.z_interface is not None
    pop = month.link_b.z_interface.device.pop
    assert pop is not None
    on_pop.pops.add(pop)
    MaintenanceWindowFactory.create(
        reference="W-ELSEWHERE", planned_start=at(5, 1), planned_end=at(5, 2), notified_at=at(1, 0)
    ).links.add(f.LinkFactory.create())
    doc = build_inputs(month.contract, 2025, 6, now=NOW).document
    assert [(w["_reference"], w["subscriptions"], w["curative"]) for w in doc["maintenance"]] == [
        ("W-LINK", ["A"], False),
        ("W-POP", ["B"], True),
    ]


def test_service_class_version_in_force_on_the_first_day() -> None:
    month = small_month()
    premium = month.link_a.service_class
    assert premium is not None
    f.ServiceClassFactory.create(
        contract=month.contract,
        slug="premium",
        name="Premium v2",
        effective_from=dt.date(2025, 6, 15),
        gtr_minutes=120,
    )
    doc = build_inputs(month.contract, 2025, 6, now=NOW).document
    assert doc["service_classes"]["premium"]["gtr_minutes"] == 240
    july = build_inputs(month.contract, 2025, 7, now=at(31, 0, month=7)).document
    assert july["service_classes"]["premium"]["gtr_minutes"] == 120
    assert doc["contract"]["amount_total_ht"] == f"{Decimal('100000.00')}"
