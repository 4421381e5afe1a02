"""The live status of establishments and PoPs: each rule of dashboards.status against real
incidents, maintenance windows, detector state and device samples, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerting.models import ElementState, MaintenanceWindow
from dashboards.status import network_status
from inventory.models import Device
from tests.dashboards.conftest import polled
from tests.factories.alerting import incident
from tests.factories.inventory import (
    DeviceFactory,
    EstablishmentFactory,
    InterfaceFactory,
    LinkFactory,
    small_network,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 8  # without an active maintenance window; +5 with one (its 3 sets, the links)


def window(title: str, **fields: Any) -> MaintenanceWindow:
    """A maintenance window notified three days ago, open from an hour ago to an hour ahead."""
    now = timezone.now()
    return MaintenanceWindow.objects.create(
        title=title,
        planned_start=now - timedelta(hours=1),
        planned_end=now + timedelta(hours=1),
        notified_at=now - timedelta(days=3),
        **fields,
    )


def test_without_a_recent_poll_everything_is_unknown() -> None:
    network = small_network()
    polled(Device.objects.all(), minutes_ago=60)  # older than MENHIR_STATUS_STALE_SECONDS
    status = network_status()
    assert set(status.sites.values()) == {"unknown"}
    assert set(status.pops.values()) == {"unknown"}
    assert status.counts() == {
        "up": 0,
        "down": 0,
        "degraded": 0,
        "maintenance": 0,
        "unknown": 3,
        "planned": 0,
    }
    assert set(status.sites) == {s.pk for s in network["sites"]}


def test_a_role_polled_less_often_goes_stale_after_as_many_of_its_polls(
    settings: Any,
) -> None:
    """Stale after 3 cycles (3 min) for the routers, 3 polls (15 min) for the CPEs at 300 s."""
    settings.MENHIR_POLL_INTERVAL = 60
    settings.MENHIR_STATUS_STALE_SECONDS = 180
    settings.MENHIR_POLL_INTERVALS = "cpe=300"
    network = small_network()
    polled(Device.objects.all(), minutes_ago=10)
    status = network_status()
    assert {status.sites[s.pk] for s in network["sites"]} == {"up"}  # their CPEs: 2 polls ago
    assert {status.pops[p.pk] for p in network["pops"]} == {"unknown"}  # routers: 10 cycles ago
    settings.MENHIR_POLL_INTERVALS = ""
    assert set(network_status().sites.values()) == {"unknown"}


def test_a_polled_network_is_up_even_where_a_device_did_not_answer(net: dict[str, Any]) -> None:
    polled([net["routers"][0]], minutes_ago=0.5, reachable=False)  # answered: a poll, not a verdict
    status = network_status()
    assert set(status.sites.values()) == {"up"}
    assert set(status.pops.values()) == {"up"}


def test_a_site_without_a_device_is_unknown(net: dict[str, Any]) -> None:
    bare = EstablishmentFactory.create()
    assert network_status().sites[bare.pk] == "unknown"


def test_open_incidents_cut_off_and_degrade_sites(net: dict[str, Any]) -> None:
    lycee, mairie, chu = net["sites"]
    pop_q = net["pops"][0]
    now = timezone.now()
    incident(pop_q, start=now - timedelta(minutes=10), isolated=(lycee, mairie), degraded=(chu,))
    status = network_status()
    assert status.sites == {lycee.pk: "down", mairie.pk: "down", chu.pk: "degraded"}
    assert status.pops == {pop_q.pk: "down", net["pops"][1].pk: "up"}
    assert status.counts()["down"] == 2


def test_closed_and_future_incidents_do_not_count(net: dict[str, Any]) -> None:
    lycee = net["sites"][0]
    now = timezone.now()
    incident(
        net["links"][0],
        start=now - timedelta(hours=2),
        end=now - timedelta(hours=1),
        isolated=(lycee,),
    )
    assert network_status().sites[lycee.pk] == "up"
    assert network_status(now - timedelta(minutes=90)).sites[lycee.pk] == "down"


def test_an_incident_in_maintenance_shows_maintenance(net: dict[str, Any]) -> None:
    lycee, mairie, _ = net["sites"]
    incident(net["links"][0], start=timezone.now(), isolated=(lycee,), in_maintenance=True)
    incident(net["links"][1], start=timezone.now(), isolated=(mairie,))
    status = network_status()
    assert status.sites[lycee.pk] == "maintenance"
    assert status.sites[mairie.pk] == "down"


def test_an_active_maintenance_window_covers_links_pops_and_whole_operators(
    net: dict[str, Any],
) -> None:
    lycee, mairie, chu = net["sites"]
    now = timezone.now()
    on_link = window("fibre splice")
    on_link.links.add(net["links"][0])
    status = network_status()
    assert status.sites == {lycee.pk: "maintenance", mairie.pk: "up", chu.pk: "up"}
    on_pop = window("Rennes power")
    on_pop.pops.add(net["pops"][1])
    status = network_status()
    assert status.sites[chu.pk] == "maintenance"  # its primary link ends at Rennes
    assert status.pops[net["pops"][1].pk] == "maintenance"
    MaintenanceWindow.objects.all().delete()
    window("operator-wide", operator=net["operator"])
    assert set(network_status().sites.values()) == {"maintenance"}
    MaintenanceWindow.objects.update(
        planned_start=now + timedelta(hours=1), planned_end=now + timedelta(hours=2)
    )
    assert set(network_status().sites.values()) == {"up"}  # not yet


def test_a_down_site_in_a_maintenance_window_stays_down(net: dict[str, Any]) -> None:
    lycee = net["sites"][0]
    now = timezone.now()
    works = window("other works")
    works.links.add(net["links"][0])
    incident(net["links"][0], start=now, isolated=(lycee,))  # raised as not in maintenance
    assert network_status().sites[lycee.pk] == "down"


def test_a_failure_being_confirmed_is_degraded(net: dict[str, Any]) -> None:
    lycee, mairie, chu = net["sites"]
    ElementState.objects.create(
        element_key=f"establishment:{lycee.pk}", detector={"streak_slots": 2, "active": True}
    )
    ElementState.objects.create(element_key=f"establishment:{mairie.pk}", detector={})  # idle
    ElementState.objects.create(
        element_key=f"pop:{net['pops'][1].pk}", detector={"streak_slots": 1, "active": True}
    )
    status = network_status()
    assert status.sites == {lycee.pk: "degraded", mairie.pk: "up", chu.pk: "up"}
    assert status.pops[net["pops"][1].pk] == "degraded"


def test_a_pop_is_degraded_by_its_device_or_backbone_link_down(net: dict[str, Any]) -> None:
    pop_q, pop_r = net["pops"]
    router_q, router_r = net["routers"]
    incident(router_q, start=timezone.now())
    status = network_status()
    assert status.pops == {pop_q.pk: "degraded", pop_r.pk: "up"}
    backbone = LinkFactory(
        role="backbone",
        establishment=None,
        operator=net["operator"],
        a_interface=InterfaceFactory(device=router_q),
        z_interface=InterfaceFactory(device=router_r),
    )
    incident(backbone, start=timezone.now(), kind="backbone_link_down")
    assert network_status().pops == {pop_q.pk: "degraded", pop_r.pk: "degraded"}


def test_query_count_does_not_grow_with_the_network(net: dict[str, Any]) -> None:
    lycee = net["sites"][0]
    incident(net["pops"][0], start=timezone.now(), isolated=(lycee,))
    with CaptureQueriesContext(connection) as small:
        network_status()
    for _ in range(25):
        site = EstablishmentFactory.create()
        cpe = DeviceFactory(establishment=site)
        LinkFactory(establishment=site, a_interface=InterfaceFactory(device=cpe))
        incident(net["routers"][1], start=timezone.now(), isolated=(site,))
    polled(Device.objects.all())
    with CaptureQueriesContext(connection) as large:
        status = network_status()
    assert len(status.sites) == 28
    assert len(large.captured_queries) == len(small.captured_queries) <= MAX_QUERIES


def test_query_count_with_maintenance_windows(
    net: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        works = window(f"works {n}")
        works.links.add(net["links"][n % 3])
        works.pops.add(net["pops"][n % 2])
    with django_assert_max_num_queries(MAX_QUERIES + 5):
        network_status()


def test_status_endpoint_needs_a_login(client: Client) -> None:
    response = client.get("/dashboards/status/")
    assert response.status_code in (302, 403)


def test_status_endpoint(
    reader_client: Client, net: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    lycee = net["sites"][0]
    incident(net["links"][0], start=timezone.now(), isolated=(lycee,))
    with django_assert_max_num_queries(MAX_QUERIES + 4):  # + session, user, its role groups
        response = reader_client.get("/dashboards/status/")
    assert response.status_code == 200
    body = response.json()
    assert body["sites"][str(lycee.pk)] == "down"
    assert body["counts"] == {
        "up": 2,
        "down": 1,
        "degraded": 0,
        "maintenance": 0,
        "unknown": 0,
        "planned": 0,
    }
    assert set(body["pops"].values()) == {"up"}
    assert body["at"]
