"""Tickets and maintenance windows in the SLA evaluation file's shape, and which subscriptions a
window covers on the topology."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from alerting.evidence import covered_links, maintenance_evidence, ticket_evidence
from alerting.models import Decision, TicketReopening, TicketSuspension
from tests.factories.alerting import T0, MaintenanceWindowFactory, TicketFactory
from tests.factories.inventory import OperatorFactory, small_network
from topology.analysis import Network
from topology.loader import load_graph

pytestmark = pytest.mark.django_db


@pytest.fixture
def net() -> dict[str, Any]:
    return small_network()


def test_ticket_evidence_has_the_evaluation_files_fields(net: Any) -> None:
    link = net["links"][0]
    ticket = TicketFactory.create(link=link, reference="TT-1", restored_at=T0 + timedelta(hours=3),
                                  acknowledged_at=T0 + timedelta(minutes=20))  # fmt: skip
    TicketSuspension.objects.create(
        ticket=ticket,
        start=T0 + timedelta(hours=1),
        end=T0 + timedelta(hours=2),
        decision=Decision.ACCEPTED,
    )
    TicketSuspension.objects.create(
        ticket=ticket, start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=3)
    )  # proposed: not accepted
    TicketReopening.objects.create(ticket=ticket, at=T0 + timedelta(hours=5))  # fmt: skip
    assert ticket_evidence(ticket, lambda pk: f"L{pk}") == {
        "id": "TT-1", "subscription": f"L{link.pk}", "opened_at": "2026-03-04T10:00:00+00:00",
        "fault_start": None, "acknowledged_at": "2026-03-04T10:20:00+00:00",
        "restored_at": "2026-03-04T13:00:00+00:00", "imputability": "operator",
        "suspensions": [
            {"start": "2026-03-04T11:00:00+00:00", "end": "2026-03-04T12:00:00+00:00",
             "accepted": True},
            {"start": "2026-03-04T12:00:00+00:00", "end": "2026-03-04T13:00:00+00:00",
             "accepted": False},
        ],
        "reopenings": [{"at": "2026-03-04T15:00:00+00:00", "restored_at": None}],
    }  # fmt: skip


def test_a_pop_under_works_covers_every_link_ending_there(net: Any) -> None:
    lyc, mai, chu, chu_backup = (link.pk for link in net["links"])
    graph = Network(load_graph())
    window = MaintenanceWindowFactory.create(operator=net["operator"])
    window.pops.add(net["pops"][0])  # Quimper: the lycée, the town hall and the CHU's backup
    assert covered_links(graph, window) == {lyc, mai, chu_backup}
    router = MaintenanceWindowFactory.create(operator=net["operator"])
    router.devices.add(net["routers"][1])  # the Rennes router: the CHU's primary
    assert covered_links(graph, router) == {chu}
    one = MaintenanceWindowFactory.create(operator=net["operator"])
    one.links.add(net["links"][1])
    assert covered_links(graph, one) == {mai}
    everything = MaintenanceWindowFactory.create(operator=net["operator"])
    assert covered_links(graph, everything) == {lyc, mai, chu, chu_backup}
    nobody = MaintenanceWindowFactory.create(operator=OperatorFactory.create())
    assert covered_links(graph, nobody) == set()
    assert maintenance_evidence(graph, one) == {
        "subscriptions": [str(mai)], "notified_at": "2026-02-17T10:00:00+00:00",
        "planned_start": "2026-03-04T10:00:00+00:00",
        "planned_end": "2026-03-04T14:00:00+00:00", "curative": False,
    }  # fmt: skip


def test_works_on_a_pop_cover_the_secondary_pop_behind_it() -> None:
    from inventory.models import Link, Pop
    from tests.poller.lab.small_network import build, pick_addresses

    build(pick_addresses())  # Rennes and Brest on the backbone, Vitré hanging off Rennes
    graph = Network(load_graph())
    window = MaintenanceWindowFactory.create(operator=None)
    window.pops.add(Pop.objects.get(slug="rennes"))
    covered = Link.objects.filter(pk__in=covered_links(graph, window), establishment__isnull=False)
    assert sorted(covered.values_list("establishment__code", flat=True)) == [
        "0350001A", "0350002B", "0350003D",  # Rennes' two sites and Vitré's school; not Brest's
    ]  # fmt: skip
