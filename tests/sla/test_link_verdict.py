"""One rule for "down" (docs/sla.md, "Monitoring slot"): live alerting and the SLA's collection
of monitoring runs give the same verdict on the same samples, for every combination of the
device answering or not (or not polled), the interface admin up / down / not reported, every
IF-MIB ifOperStatus value (1–7) or no interface sample at all, and the device's probes in the
slot answered / all lost / absent (the prober not running): SNMP silent but probes answered is a
monitoring fault, UNKNOWN."""

from __future__ import annotations

import datetime as dt
from itertools import product
from typing import Any

import pytest
from django.db import connection

from alerting.live import DownSet
from alerting.quality import answering
from metrics.schema import DEVICE, OPER_STATUS_CODES, PROBE, RAW, ensure_partitions
from metrics.types import DeviceSample, InterfaceSample, LinkProbe
from metrics.verdict import LinkState, oper_status
from sla.collect import collect_runs
from sla.models import MonitoringRun
from tests.factories.sla import at, small_month

REACHABLE = (True, False, None)  # None: the device was not polled in the slot
ADMIN = (True, False, None)
IF_OPER = (1, 2, 3, 4, 5, 6, 7, None)  # None: no interface sample
PROBED = (True, False, None)  # some probe answered, all lost, no probe data
CASES = list(product(REACHABLE, ADMIN, IF_OPER, PROBED))
Case = tuple[Any, Any, Any, Any]

#: The verdict table, as docs/sla.md states it.
EXPECTED = {
    (r, a, o, p): (
        LinkState.UNKNOWN
        if r is None
        else LinkState.UNKNOWN  # SNMP silent, probes answered: a monitoring fault
        if r is False and p is True
        else LinkState.DOWN
        if r is False
        else LinkState.UNKNOWN
        if a is False and o is not None  # no interface sample: no admin status either
        else LinkState.DOWN
        if o in (2, 6, 7)
        else LinkState.UP
    )
    for r, a, o, p in CASES
}
T0 = at(10, 10)


def _samples(
    moment: dt.datetime, device: int, iface: int, case: Case
) -> tuple[list[DeviceSample], list[InterfaceSample]]:
    reachable, admin, raw, _ = case
    devices = (
        [] if reachable is None else [DeviceSample(moment, device, reachable, None, None, None)]
    )
    interfaces = (
        []
        if raw is None
        else [
            InterfaceSample(
                moment,
                device,
                iface,
                60.0,
                None,
                None,
                None,
                None,
                None,
                None,
                oper_status(raw),
                admin,
                None,
            )
        ]
    )
    return devices, interfaces


def _probes(slot: dt.datetime, link: int, device: int, case: Case) -> list[LinkProbe]:
    """The prober's row for the slot: 5 probes, none or all lost; none without probe data."""
    probed = case[3]
    if probed is None:
        return []
    lost = 0 if probed else 5
    rtt = 3.0 if probed else None
    return [LinkProbe(slot, link, device, "twamp", 5, lost, rtt, rtt, rtt, None)]


def alerting_verdict(case: Case) -> LinkState:
    """What live alerting makes of one poll: DOWN (device unreachable or interface down),
    UNKNOWN (not polled: the element is unobserved; the interface's verdict unknown; or the
    agent silent while the device answered probes: a monitoring fault)."""
    devices, interfaces = _samples(T0, 1, 10, case)
    if not devices:
        return LinkState.UNKNOWN
    down = DownSet.of(devices, interfaces).probed(answering(_probes(T0, 5, 1, case)))
    if 1 in down.agents_silent:
        return LinkState.UNKNOWN
    if 1 in down.devices or 10 in down.interfaces:
        return LinkState.DOWN
    return LinkState.UNKNOWN if 10 in down.unknown else LinkState.UP


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{a}-{o}-{p}" for r, a, o, p in CASES])
def test_alerting_gives_the_table(case: Case) -> None:
    assert alerting_verdict(case) == EXPECTED[case]


@pytest.mark.django_db
def test_the_sla_collection_gives_the_same_verdicts_as_alerting() -> None:
    """One slot per combination (216 minutes from 10:10), each preceded and followed by an UP
    poll without probes so that every slot's verdict reads alone (the previous slot's probes,
    which the verdict falls back on, are absent); the collected runs must say, slot by slot,
    what alerting says."""
    month = small_month()
    MonitoringRun.objects.all().delete()
    iface = month.link_a.a_interface
    assert iface is not None
    up = (True, True, 1, None)
    plan = [up] + [c for case in CASES for c in (case, up)]
    start, end = T0, T0 + dt.timedelta(minutes=len(plan))
    connection.ensure_connection()
    conn: Any = connection.connection
    ensure_partitions(conn, RAW, start, end)
    ensure_partitions(conn, DEVICE, start, end)
    ensure_partitions(conn, PROBE, start, end)
    with conn.cursor() as cur:
        for minute, case in enumerate(plan):
            moment = start + dt.timedelta(minutes=minute, seconds=7)
            devices, interfaces = _samples(moment, iface.device_id, iface.pk, case)
            slot = start + dt.timedelta(minutes=minute)
            for p in _probes(slot, month.link_a.pk, iface.device_id, case):
                cur.execute(
                    "INSERT INTO metrics_link_probe (time, link_id, device_id, method, sent, lost,"
                    " rtt_median_ms) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (p.time, p.link_id, p.device_id, p.method, p.sent, p.lost, p.rtt_median_ms),
                )
            for d in devices:
                cur.execute(
                    "INSERT INTO metrics_device_sample (time, device_id, reachable) "
                    "VALUES (%s, %s, %s)",
                    (d.time, d.device_id, d.reachable),
                )
            for s in interfaces:
                cur.execute(
                    "INSERT INTO metrics_interface_sample (time, interface_id, device_id, "
                    "oper_status, admin_up) VALUES (%s, %s, %s, %s, %s)",
                    (
                        s.time,
                        s.interface_id,
                        s.device_id,
                        OPER_STATUS_CODES[s.oper_status],
                        s.admin_up,
                    ),
                )
    collect_runs(start, end, 60)
    runs = MonitoringRun.objects.filter(link=month.link_a)
    state_at: dict[dt.datetime, LinkState] = {}
    for run in runs:
        moment = run.start
        while moment < run.end:
            state_at[moment] = LinkState(run.state)
            moment += dt.timedelta(minutes=1)
    table = []
    for minute, case in enumerate(plan):
        if minute % 2 == 0:
            continue
        slot = start + dt.timedelta(minutes=minute)
        sla = state_at.get(slot, LinkState.UP)
        table.append((case, sla))
        assert sla == alerting_verdict(case) == EXPECTED[case], case
    assert len(table) == 216
