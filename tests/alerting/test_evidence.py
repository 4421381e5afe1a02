"""Which subscriptions a maintenance window covers on the topology."""

from __future__ import annotations

from typing import Any

import pytest

from alerting.evidence import covered_links
from tests.factories.alerting import MaintenanceWindowFactory
from tests.factories.inventory import OperatorFactory, small_network
from topology.analysis import Network
from topology.loader import load_graph

pytestmark = pytest.mark.django_db


@pytest.fixture
def net() -> dict[str, Any]:
    return small_network()


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


def test_works_on_a_pop_cover_the_secondary_pop_behind_it() -> None:
    from inventory.models import Link, Pop
    from tests.simulation.lab.small_network import build, pick_addresses

    build(pick_addresses())  # Rennes and Brest on the backbone, Vitré hanging off Rennes
    graph = Network(load_graph())
    window = MaintenanceWindowFactory.create(operator=None)
    window.pops.add(Pop.objects.get(slug="rennes"))
    covered = Link.objects.filter(pk__in=covered_links(graph, window), establishment__isnull=False)
    assert sorted(covered.values_list("establishment__code", flat=True)) == [
        "0350001A",
        "0350002B",
        "0350003D",  # Rennes' two sites and Vitré's school; not Brest's
    ]
