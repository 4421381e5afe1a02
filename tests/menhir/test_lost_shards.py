"""A shard that never comes back (its worker died, or it was skipped as an overrun) is not
observed: the elements only it reports on are not fed that slot, never taken for "up". An open
outage is not announced as recovered for want of data; observed again and still down, it goes on
as the same incident. Dispatch, shards and slot closing run in-process against the lab."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerting.models import ElementState, Incident
from inventory.models import Establishment, SNMPProfile
from menhir import distributed
from poller.models import PollSlot
from tests.menhir.conftest import Cluster
from tests.menhir.inprocess import run_slot

pytestmark = [pytest.mark.timeout(240), pytest.mark.usefixtures("inprocess_service")]
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
SITE = "0290001C"  # CHU de Brest, behind the Brest PoP: shard pop:pop-brest
SHARD = "pop:brest"


@pytest.fixture
def brest(cluster: Cluster) -> Cluster:
    cluster.settings.MENHIR_DETECT_N_DOWN = 2
    cluster.settings.MENHIR_DETECT_N_UP = 1
    cluster.settings.MENHIR_SLOT_DEADLINE = 0  # the next dispatch closes a late slot first
    cluster.settings.METRICS_SPOOL_DIR = cluster.tmp / "spool"
    SNMPProfile.objects.update(timeout_ms=1000, retries=0)
    cluster.lab.inject("silent", SITE)
    return cluster


def at(m: int) -> datetime:
    return T0 + timedelta(minutes=m, seconds=1)


def site_key() -> str:
    return f"establishment:{Establishment.objects.get(code=SITE).pk}"


def late(m: int) -> None:
    """The lost task of minute `m` finally runs: its slot is closed already."""
    iso = (T0 + timedelta(minutes=m)).isoformat()
    assert distributed.run_shard(iso, SHARD) == "done"


def test_a_lost_shard_neither_confirms_nor_breaks_a_streak(brest: Cluster) -> None:
    shards = run_slot(at(0)).shards
    assert SHARD in shards
    run_slot(at(1), lose={SHARD})
    run_slot(at(2))  # closes minute 1 first; its own Brest shard is an overrun (still queued)
    lost = PollSlot.objects.get(slot_start=T0 + timedelta(minutes=1))
    assert lost.report["missing"] == [SHARD]
    assert lost.report["detection"] == "done"
    assert PollSlot.objects.get(slot_start=T0 + timedelta(minutes=2)).report["overrun"] == [SHARD]
    state = ElementState.objects.get(element_key=site_key())
    assert state.detector["streak_slots"] == 1  # minute 0's bad poll, not reset by "up"
    assert state.detector["cursor"] == int((T0 + timedelta(minutes=1)).timestamp())
    assert not Incident.objects.filter(element_key=site_key()).exists()


def test_an_open_outage_is_not_announced_recovered_for_want_of_data(brest: Cluster) -> None:
    run_slot(at(0))
    run_slot(at(1))
    incident = Incident.objects.get(element_key=site_key())
    assert incident.start == T0
    run_slot(at(2), lose={SHARD})
    run_slot(at(3))  # closes minute 2 (Brest missing); minute 3's Brest is an overrun
    incident.refresh_from_db()
    assert incident.end is None  # n_up = 1: one slot taken for "up" would have closed it
    late(2)
    run_slot(at(4))  # observed again, still down: minutes 2-3 were UNKNOWN
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=2)  # its last bad poll (SLA R3)
    kinds = list(incident.events.values_list("kind", flat=True))
    assert "unobserved" in kinds
    assert "recovered" not in kinds
    run_slot(at(5))  # the second bad poll since: the same incident again, not a new one
    assert list(Incident.objects.filter(element_key=site_key())) == [incident]
    incident.refresh_from_db()
    assert (incident.end, incident.reopen_count) == (None, 1)
