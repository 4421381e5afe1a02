"""Monitoring runs collected from the poller's raw samples: DOWN, UNKNOWN where no poll."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from metrics.schema import DEVICE, RAW, ensure_partitions
from sla.collect import collect_runs
from sla.models import MonitoringRun
from tests.factories.sla import at, small_month

pytestmark = pytest.mark.django_db
START, END = at(10, 10), at(10, 10, 20)


def polls(device: int, iface: int, minutes: dict[int, tuple[bool, int]]) -> None:
    """One poll per listed minute after 10:00: (device reachable, ifOperStatus code)."""
    connection.ensure_connection()
    conn: Any = connection.connection
    ensure_partitions(conn, RAW, START, END)
    ensure_partitions(conn, DEVICE, START, END)
    with conn.cursor() as cur:
        for minute, (reachable, status) in minutes.items():
            moment = START + dt.timedelta(minutes=minute, seconds=7)  # mid-slot, as polls land
            cur.execute(
                "INSERT INTO metrics_device_sample (time, device_id, reachable) "
                "VALUES (%s, %s, %s)",
                (moment, device, reachable),
            )
            if reachable:
                cur.execute(
                    "INSERT INTO metrics_interface_sample (time, interface_id, device_id, "
                    "oper_status) VALUES (%s, %s, %s, %s)",
                    (moment, iface, device, status),
                )


def test_down_and_unknown_runs_from_samples() -> None:
    month = small_month()
    MonitoringRun.objects.all().delete()
    iface = month.link_a.a_interface
    assert iface is not None
    up, unreachable, oper_down = (True, 1), (False, 0), (True, 2)
    minutes = dict.fromkeys(range(18), up)  # 10:00–10:17 polled; 10:18–10:20 not yet
    minutes.update({5: unreachable, 6: unreachable, 7: unreachable, 10: oper_down})
    del minutes[12], minutes[13]  # two cycles missed
    polls(iface.device_id, iface.pk, minutes)
    done = collect_runs(START, END, 60)
    assert (done.links, done.down_runs, done.unknown_runs) == (2, 2, 3)
    runs = {
        (r.link_id, r.start.strftime("%H:%M"), r.end.strftime("%H:%M"), r.state)
        for r in MonitoringRun.objects.all()
    }
    assert runs == {
        (month.link_a.pk, "10:05", "10:08", "down"),
        (month.link_a.pk, "10:10", "10:11", "down"),
        (month.link_a.pk, "10:12", "10:14", "unknown"),
        (month.link_a.pk, "10:18", "10:20", "unknown"),
        (month.link_b.pk, "10:00", "10:20", "unknown"),  # never polled at all
    }
    collect_runs(START, END, 60)  # collecting again replaces, never duplicates
    assert MonitoringRun.objects.count() == 5


def test_cpes_polled_every_five_minutes_make_five_minute_slots(settings: Any) -> None:
    """`MENHIR_POLL_INTERVALS=cpe=300`: one poll every 5 minutes is no gap, one bad poll is one
    5-minute DOWN slot, and the evaluation file says `slot_seconds` 300."""
    from sla.collect import slot_seconds
    from sla.inputs import build_inputs

    settings.MENHIR_POLL_INTERVALS = "cpe=300"
    assert slot_seconds() == 300
    month = small_month()
    MonitoringRun.objects.all().delete()
    iface = month.link_a.a_interface
    assert iface is not None
    polls(iface.device_id, iface.pk, {0: (True, 1), 5: (False, 0), 10: (True, 1), 15: (True, 1)})
    done = collect_runs(START, END, slot_seconds())
    runs = {
        (r.link_id, r.start.strftime("%H:%M"), r.end.strftime("%H:%M"), r.state)
        for r in MonitoringRun.objects.all()
    }
    assert runs == {
        (month.link_a.pk, "10:05", "10:10", "down"),
        (month.link_b.pk, "10:00", "10:20", "unknown"),
    }
    assert (done.down_runs, done.unknown_runs) == (1, 1)
    inputs = build_inputs(month.contract, 2025, 6)
    assert inputs.document["contract"]["detector"]["slot_seconds"] == 300


def test_window_must_be_aware_and_hold_a_slot() -> None:
    with pytest.raises(ValueError, match="aware"):
        collect_runs(dt.datetime(2025, 6, 1), dt.datetime(2025, 6, 2), 60)  # noqa: DTZ001
    with pytest.raises(ValueError, match="at least one whole slot"):
        collect_runs(START, START + dt.timedelta(seconds=30), 60)


def test_cli_collects_a_day_and_refuses_a_bad_one() -> None:
    from typer.testing import CliRunner

    from menhir.cli import app

    small_month()
    MonitoringRun.objects.all().delete()
    result = CliRunner().invoke(app, ["sla", "collect-runs", "2025-06-10"])
    assert result.exit_code == 0, result.output
    assert "2025-06-10: 2 links, 0 DOWN runs, 2 UNKNOWN runs" in result.output  # never polled
    bad = CliRunner().invoke(app, ["sla", "collect-runs", "10/06/2025"])
    assert bad.exit_code == 2
    assert "not a day" in bad.output


def test_slots_where_every_canary_was_silent_are_unknown_not_down() -> None:
    from inventory import choices as c
    from tests.factories.inventory import DeviceFactory

    month = small_month()
    MonitoringRun.objects.all().delete()
    iface = month.link_a.a_interface
    assert iface is not None
    core = [DeviceFactory.create(role=c.DeviceRole.CORE_ROUTER, establishment=None) for _ in "ab"]
    # 10:05–10:07 the CPE and both core routers are silent: the collector was cut off.
    # 10:09 only the CPE is silent (one core router answers): a real DOWN slot.
    silent = {5, 6, 7}
    cpe = {m: ((False, 0) if m in silent | {9} else (True, 1)) for m in range(20)}
    polls(iface.device_id, iface.pk, cpe)
    polls(core[0].pk, 900_001, {m: (m not in silent, 1) for m in range(20)})
    polls(core[1].pk, 900_002, {m: (m not in silent | {9}, 1) for m in range(20)})
    collect_runs(START, END, 60)
    runs = {
        (r.start.strftime("%H:%M"), r.end.strftime("%H:%M"), r.state)
        for r in MonitoringRun.objects.filter(link=month.link_a)
    }
    assert runs == {("10:05", "10:08", "unknown"), ("10:09", "10:10", "down")}


def test_down_during_a_third_party_incident_is_flagged_for_that_part() -> None:
    from alerting.models import Incident, IncidentImpact

    month = small_month()
    MonitoringRun.objects.all().delete()
    iface = month.link_a.a_interface
    assert iface is not None
    # The CPE is silent 10:05–10:11; alerting's incident (the syndicate's PoP, third party for
    # the operator's contract) covered 10:07–10:09: that part alone is third party.
    polls(iface.device_id, iface.pk, {m: (not 5 <= m < 11, 1) for m in range(20)})
    incident = Incident.objects.create(
        kind="pop_down",
        severity="major",
        element_key="pop:1",
        root_kind="pop",
        root_id=1,
        root_name="PoP",
        start=at(10, 10, 7),
        end=at(10, 10, 9),
        detected_at=at(10, 10, 9),
    )
    site = month.link_a.establishment
    assert site is not None
    IncidentImpact.objects.create(
        incident=incident, establishment=site, state="isolated", imputability="third_party"
    )
    collect_runs(START, END, 60)
    runs = [
        (r.start.strftime("%H:%M"), r.end.strftime("%H:%M"), r.state, r.third_party)
        for r in MonitoringRun.objects.filter(link=month.link_a).order_by("start")
    ]
    assert runs == [
        ("10:05", "10:07", "down", False),
        ("10:07", "10:09", "down", True),
        ("10:09", "10:11", "down", False),
    ]
    # The engine takes the three adjacent runs as one outage (6 slots ≥ n_down 5) of 360 s,
    # of which the third-party 120 s are excluded (R7).
    from sla.service import evaluate_month
    from tests.factories.sla import NOW

    a = evaluate_month(month.contract, 2025, 6, now=NOW).report.output["subscriptions"][0]
    assert (a["downtime_s"], a["excluded_s"]) == (240, 120)
