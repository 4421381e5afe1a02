"""Device roles polled less often than every cycle: each element is observed on its own grid, its
detector counts its own polls, and the cycles between two of its polls neither confirm nor break a
streak; the roles not polled in a cycle count as their last poll saw them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alerting.cadence import Cadence, cadence_of
from alerting.correlation import correlate
from alerting.detector import DetectorParams
from alerting.engine import process_cycle
from alerting.live import DownSet, LiveContext
from alerting.models import ElementState, Incident, MicroOutage
from poller.schedule import PollSchedule
from tests.factories.inventory import small_network
from topology.analysis import Network
from topology.graph import device_node, link_key
from topology.loader import load_graph

pytestmark = pytest.mark.django_db
PARAMS = DetectorParams(slot_seconds=60, n_down=3, n_up=2)
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a multiple of 300 s since the epoch
SLOW = PollSchedule.parse(60, "cpe=300")


def site_key(site: Any) -> str:
    return f"establishment:{site.pk}"


def test_each_element_is_observed_at_its_fastest_reporting_device() -> None:
    net = small_network()
    graph = Network(load_graph())
    cadence = cadence_of(graph, SLOW)
    site = net["sites"][0]
    cpe = site.devices.get()
    access = net["links"][0]
    assert cadence.interval(site_key(site)) == 300  # a site is its CPEs'
    assert cadence.interval(device_node(cpe.pk)) == 300
    assert cadence.interval(device_node(net["routers"][0].pk)) == 60
    assert cadence.interval(f"pop:{net['pops'][0].pk}") == 60
    # An access link is also seen from its PoP router's port, every cycle.
    assert cadence.interval(link_key(access.pk)) == 60
    assert cadence_of(graph, PollSchedule.parse(60, "")).intervals == {}


def run(net: Network, down: set[str], minutes: list[int], cadence: Cadence) -> list[Any]:
    reports = []
    for m in minutes:
        start = T0 + timedelta(minutes=m)
        verdict = correlate(net, down)
        reports.append(
            process_cycle(
                net, verdict, start, start + timedelta(minutes=1), PARAMS, cadence=cadence
            )
        )
    return reports


def test_a_slow_cpe_opens_its_incident_after_n_down_of_its_own_polls() -> None:
    net = small_network()
    graph = Network(load_graph())
    cadence = cadence_of(graph, SLOW)
    site = net["sites"][0]
    down = {device_node(site.devices.get().pk)}
    run(graph, down, list(range(10)), cadence)  # CPE polls at 0 and 5: two bad polls of three
    assert not Incident.objects.exists()
    state = ElementState.objects.get(element_key=site_key(site))
    assert state.detector["streak_slots"] == 2
    assert state.detector["cursor"] == int((T0 + timedelta(minutes=10)).timestamp())
    run(graph, down, [10], cadence)
    incident = Incident.objects.get(element_key=site_key(site))
    assert incident.start == T0  # backdated to the first bad poll
    assert incident.end is None
    # Back up: n_up = 2 good polls of the CPE, 5 minutes apart; the cycles between change nothing.
    run(graph, set(), list(range(11, 20)), cadence)
    incident.refresh_from_db()
    assert incident.end is None
    run(graph, set(), [20], cadence)
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=15)  # the first good poll
    assert not MicroOutage.objects.exists()


def test_every_cycle_feeding_the_slow_site_would_open_it_five_times_sooner() -> None:
    """The same input without the cadence: three cycles are three polls (the bug this avoids)."""
    net = small_network()
    graph = Network(load_graph())
    site = net["sites"][0]
    run(graph, {device_node(site.devices.get().pk)}, [0, 1, 2], Cadence(60))
    assert Incident.objects.get(element_key=site_key(site)).start == T0


def test_a_missed_poll_of_a_slow_element_is_unknown_and_restarts_its_streak() -> None:
    net = small_network()
    graph = Network(load_graph())
    cadence = cadence_of(graph, SLOW)
    site = net["sites"][0]
    down = {device_node(site.devices.get().pk)}
    run(graph, down, [0, 1, 2, 3, 4], cadence)  # one bad poll
    run(graph, down, [6, 7, 8, 9], cadence)  # the cycle at 5, which polls the CPE, is missed
    run(graph, down, [10, 15], cadence)  # two more bad polls, after an UNKNOWN slot
    assert not Incident.objects.exists()
    run(graph, down, [20], cadence)
    assert Incident.objects.get(element_key=site_key(site)).start == T0 + timedelta(minutes=10)


def test_the_idle_roles_are_held_at_their_last_poll_and_only_theirs() -> None:
    net = small_network()
    ctx = LiveContext.load(schedule=SLOW)
    cpe = net["sites"][0].devices.get()
    router = net["routers"][0]
    wan = cpe.interfaces.get(name="wan0")
    seen = DownSet(frozenset({cpe.pk, router.pk}), frozenset({wan.pk}))
    recalled: list[int] = []

    def recall(epoch: int) -> DownSet | None:
        recalled.append(epoch)
        return seen if epoch == int(T0.timestamp()) else None

    held = ctx.held(T0 + timedelta(minutes=3), recall)
    assert recalled == [int(T0.timestamp())]  # the CPEs' last poll
    # The router is polled every cycle: what it was at minute 0 is not carried to minute 3.
    assert held == DownSet(frozenset({cpe.pk}), frozenset({wan.pk}))
    assert ctx.held(T0 + timedelta(minutes=7), recall) == DownSet()  # its last poll is unknown
    recalled.clear()
    assert ctx.held(T0 + timedelta(minutes=5), recall) == DownSet()  # the CPEs are polled
    assert recalled == []
