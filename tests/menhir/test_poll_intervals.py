"""Poll intervals per device role, end to end against the lab: the CPEs polled every third cycle
(`MENHIR_POLL_INTERVALS=cpe=180`), the routers every cycle. A silent CPE opens its incident after
`n_down` of *its* polls, backdated to the first; the cycles between carry its last state. The same
through the distributed mode's dispatch, shards and slot closing (run in-process here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from alerting.models import Incident, MicroOutage
from inventory.models import Device, Establishment, SNMPProfile
from menhir.polling import CycleSummary, PollService
from poller.models import ShardRun
from tests.menhir.cluster import device_samples
from tests.menhir.conftest import Cluster
from tests.menhir.inprocess import run_slot, summary_of

pytestmark = [pytest.mark.timeout(240)]
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a multiple of 180 s since the epoch
SITE = "0350001A"


@pytest.fixture
def slow_cpes(cluster: Cluster) -> Cluster:
    cluster.settings.MENHIR_POLL_INTERVALS = "cpe=180"
    cluster.settings.MENHIR_DETECT_N_DOWN = 2
    cluster.settings.MENHIR_DETECT_N_UP = 1
    cluster.settings.METRICS_SPOOL_DIR = cluster.tmp / "spool"
    SNMPProfile.objects.update(timeout_ms=1000, retries=0)  # a silent CPE costs 1 s a poll
    return cluster


def site_key() -> str:
    return f"establishment:{Establishment.objects.get(code=SITE).pk}"


def check_slow_site(cluster: Cluster, cycle: Callable[[int], CycleSummary]) -> None:
    """Drive minutes 0-6 with the site's CPE silent until minute 4; check what each saw."""
    cpes = list(Device.objects.filter(role="cpe").values_list("pk", flat=True))
    routers = list(Device.objects.exclude(role="cpe").values_list("pk", flat=True))
    cluster.lab.inject("silent", SITE)
    summaries = [cycle(m) for m in range(3)]
    assert [s.devices for s in summaries] == [7, 3, 3]  # the CPEs only in the first cycle
    assert [s.idle_roles for s in summaries] == [[], ["cpe"], ["cpe"]]
    assert [s.devices_unreachable for s in summaries] == [1, 0, 0]
    assert [s.held_down for s in summaries] == [0, 1, 1]  # its last poll's verdict still holds
    assert not Incident.objects.filter(element_key=site_key()).exists()  # one bad poll of two
    cycle(3)  # the CPE's second poll: still silent
    incident = Incident.objects.get(element_key=site_key())
    assert incident.kind == "access_down"
    assert incident.start == T0  # backdated to its first bad poll, three minutes earlier
    cluster.lab.clear()
    for m in (4, 5):
        cycle(m)
        incident.refresh_from_db()
        assert incident.end is None  # not polled: its last poll (down) still holds
    cycle(6)
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=6)  # closed by its first good poll
    # the site's outage is an incident, never a micro-outage (another device timing out once on a
    # loaded machine may leave one of its own: not this test's concern)
    assert not MicroOutage.objects.filter(element_key=site_key()).exists()
    counts = device_samples(cpes + routers, T0 - timedelta(days=365))
    assert {counts[pk] for pk in cpes} == {3}  # minutes 0, 3, 6
    assert {counts[pk] for pk in routers} == {7}


def test_embedded_cycles_poll_the_cpes_on_their_own_grid(slow_cpes: Cluster) -> None:
    service = PollService(60)
    assert service.schedule.describe() == "every 60 s; cpe every 180 s"
    try:
        check_slow_site(slow_cpes, lambda m: service.run_once(T0 + timedelta(minutes=m)))
    finally:
        service.close()


def test_a_full_cycle_on_demand_polls_every_role(slow_cpes: Cluster) -> None:
    """`menhir poll --once`: every device, even in a cycle its role is not due."""
    service = PollService(60)
    try:
        summary = service.run_once(T0 + timedelta(minutes=1), everything=True)
    finally:
        service.close()
    assert (summary.devices, summary.idle_roles) == (7, [])


@pytest.mark.usefixtures("inprocess_service")
def test_distributed_slots_send_only_the_roles_due_and_recall_the_others(
    slow_cpes: Cluster,
) -> None:
    def cycle(m: int) -> CycleSummary:
        slot = run_slot(T0 + timedelta(minutes=m, seconds=1))
        assert slot.closed_at is not None
        return summary_of(slot)

    check_slow_site(slow_cpes, cycle)
    cpes = set(Device.objects.filter(role="cpe").values_list("pk", flat=True))
    polled = {
        m: {
            pk
            for ids in ShardRun.objects.filter(
                slot__slot_start=T0 + timedelta(minutes=m)
            ).values_list("device_ids", flat=True)
            for pk in ids
        }
        for m in range(7)
    }
    assert [bool(polled[m] & cpes) for m in range(7)] == [
        True,
        False,
        False,
        True,
        False,
        False,
        True,
    ]
