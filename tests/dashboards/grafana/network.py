"""The reference network with three hours of polled data, for running the panels' SQL.

Samples go through the metrics writer (as the poller's do) for the backbone links' A ends and
every access link of one PoP; every active device has its last three polls, a few unreachable;
two incidents (one open, one restored) cut off an establishment of that PoP; one poll-cycle row a
minute, a few of them overrunning. Rollups are then run, so every resolution has rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from django.db import connection

from alerting.models import Incident, IncidentImpact
from dashboards.grafana.readonly import drop_readonly, grant_readonly, role_name
from inventory import models as m
from metrics.cycles import CycleStats, record_cycle
from metrics.maintenance import conninfo_for
from metrics.rollups import run_rollups
from metrics.types import DeviceSample, InterfaceSample, LinkProbe, OperStatus
from metrics.writer import MetricsWriter

MINUTES = 180
LOST = 2  # probes lost of 5 each slot on one access link
RTT_MS = 4.0  # every probed slot's median RTT (the lossy link's: twice that)
UNREACHABLE = 3
OVERRUNS = 4
SATURATION = 1.25  # the saturated link's down rate against its committed rate
METRICS_TABLES = (
    "metrics_interface_sample",
    "metrics_device_sample",
    "metrics_interface_5m",
    "metrics_interface_1h",
    "metrics_interface_1d",
    "metrics_status_event",
    "metrics_rollup_pending",
    "metrics_rollup_watermark",
    "metrics_poll_cycle",
    "metrics_link_probe",
    "metrics_link_probe_5m",
    "metrics_link_probe_1h",
    "metrics_link_probe_1d",
)


@dataclass(frozen=True)
class Polled:
    now: datetime
    pop_id: int
    establishment_id: int
    saturated_circuit: str
    committed_down: int
    backbone_in_bps: float  # the sum of the backbone A ends' in rates, constant
    admin_conninfo: str
    readonly_conninfo: str
    lossy_circuit: str = ""  # the access link that loses LOST of its 5 probes every slot


def rate(interface_id: int) -> tuple[float, float]:
    return 1e6 * (1 + interface_id % 7), 2e5 * (1 + interface_id % 5)


def _interface_samples(
    iface: m.Interface, now: datetime, in_bps: float, out_bps: float, down_minutes: range = range(0)
) -> list[InterfaceSample]:
    return [
        InterfaceSample(
            time=now - timedelta(minutes=k),
            device_id=iface.device_id,
            interface_id=iface.pk,
            interval_s=60.0,
            in_bps=in_bps if k not in down_minutes else 0.0,
            out_bps=out_bps if k not in down_minutes else 0.0,
            in_errors=k % 3,
            out_errors=0,
            in_discards=k % 2,
            out_discards=0,
            oper_status=OperStatus.DOWN if k in down_minutes else OperStatus.UP,
            admin_up=True,
            speed_bps=iface.speed_bps,
        )
        for k in range(MINUTES)
    ]


def _pick_pop() -> tuple[m.Pop, list[m.Link]]:
    """The PoP with the most access links that have both ends and a committed rate."""
    access = (
        m.Link.objects.exclude(role="backbone")
        .filter(a_interface__isnull=False, z_interface__isnull=False, committed_down_bps__gt=0)
        .select_related("a_interface", "z_interface__device")
    )
    by_pop: dict[int, list[m.Link]] = {}
    for link in access:
        pop_id = link.z_interface.device.pop_id if link.z_interface else None
        if pop_id is not None:
            by_pop.setdefault(pop_id, []).append(link)
    pop_id = min(by_pop, key=lambda p: (-len(by_pop[p]), p))
    return m.Pop.objects.get(pk=pop_id), sorted(by_pop[pop_id], key=lambda lk: lk.pk)


def write_network_data(spool: Path) -> Polled:
    now = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    pop, links = _pick_pop()
    saturated = links[0]
    samples: list[InterfaceSample] = []
    backbone_in = 0.0
    backbone = m.Link.objects.filter(role="backbone", status="active", a_interface__isnull=False)
    for link in backbone.select_related("a_interface"):
        assert link.a_interface is not None
        down, up = rate(link.a_interface.pk)
        backbone_in += down
        samples += _interface_samples(link.a_interface, now, down, up)
    for link in links:
        assert link.a_interface is not None
        assert link.committed_down_bps
        # Access links run at 10-70 % of their committed rates; one is saturated.
        share = 0.1 * (1 + link.a_interface.pk % 7)
        down = share * link.committed_down_bps
        up = share * (link.committed_up_bps or 1e6)
        if link is saturated:
            down = SATURATION * link.committed_down_bps
        gap = range(30, 45) if link is links[1] else range(0)
        samples += _interface_samples(link.a_interface, now, down, up, gap)
    devices = list(
        m.Device.objects.filter(status="active").order_by("pk").values_list("pk", flat=True)
    )
    down_devices = set(devices[:UNREACHABLE])
    device_samples = [
        DeviceSample(now - timedelta(minutes=k), pk, pk not in down_devices, 1e5, 2.0, None)
        for pk in devices
        for k in range(3)
    ]
    lossy = links[-1]
    probes = [
        LinkProbe(
            now - timedelta(minutes=k),
            link.pk,
            link.a_interface.device_id,
            "twamp",
            5,
            LOST if link is lossy else 0,
            RTT_MS / 2,
            RTT_MS * (2 if link is lossy else 1),
            RTT_MS * 3,
            0.5,
        )
        for link in links
        if link.a_interface is not None
        for k in range(MINUTES)
    ]
    admin = conninfo_for(connection.settings_dict)
    with MetricsWriter(admin, spool) as writer:
        result = writer.write(samples, device_samples, probes=probes)
        assert result.inserted == len(samples) + len(device_samples) + len(probes), result
    site_id = saturated.establishment_id
    assert site_id is not None
    _incidents(now, site_id, saturated)
    _sla_month(now, saturated)
    with psycopg.connect(admin) as conn:
        for k in range(MINUTES):
            record_cycle(
                conn,
                CycleStats(
                    now - timedelta(minutes=k),
                    60,
                    70.0 if k < OVERRUNS else 12.5,
                    len(devices),
                    UNREACHABLE,
                    UNREACHABLE,
                    1,
                    len(samples) // MINUTES,
                    False,
                    2 if k == 0 else 0,
                ),
            )
        run_rollups(conn)
        grant_readonly(conn)
        conn.commit()
    readonly = psycopg.conninfo.make_conninfo(
        admin, user=role_name(connection.settings_dict["NAME"])
    )
    committed = int(saturated.committed_down_bps or 0)
    return Polled(
        now,
        pop.pk,
        site_id,
        saturated.circuit_id,
        committed,
        backbone_in,
        admin,
        readonly,
        lossy.circuit_id,
    )


def _incidents(now: datetime, site_id: int, link: m.Link) -> None:
    common: dict[str, Any] = {
        "kind": "access_down", "root_kind": "link", "root_id": link.pk,
        "root_name": link.circuit_id, "operator_id": link.operator_id,
        "element_key": f"link:{link.pk}",
    }  # fmt: skip
    restored = Incident.objects.create(
        severity="major",
        start=now - timedelta(minutes=150),
        end=now - timedelta(minutes=120),
        detected_at=now - timedelta(minutes=145),
        impacted_count=1,
        **common,
    )
    still_open = Incident.objects.create(
        severity="critical",
        start=now - timedelta(minutes=20),
        end=None,
        detected_at=now - timedelta(minutes=15),
        impacted_count=1,
        **common,
    )
    for incident in (restored, still_open):
        IncidentImpact.objects.create(incident=incident, establishment_id=site_id, state="isolated")


_CHANGES_BEFORE: list[int] = []  # the change log's last id before the SLA month was written


def _sla_month(now: datetime, link: m.Link) -> None:
    """This month's report of the link's contract, with the link down for the last two days
    (or since the month began): a provisional report with penalty lines."""
    from core.models import ObjectChange
    from sla.models import MonitoringRun
    from sla.service import evaluate_month

    _CHANGES_BEFORE.append(
        ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )
    assert link.contract is not None
    paris = now.astimezone(ZoneInfo("Europe/Paris"))
    month_start = paris.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = max(month_start.astimezone(UTC), now - timedelta(hours=48))
    MonitoringRun.objects.create(link=link, start=start, end=now, state="down")
    evaluate_month(link.contract, paris.year, paris.month, now=now)


def clear_network_data() -> None:
    """Undo write_network_data (the seeded inventory is the seeding fixture's to remove)."""
    from core.models import ObjectChange
    from sla.models import MonitoringRun, MonthlyResult, Penalty, Report

    Penalty.objects.all().delete()
    MonthlyResult.objects.all().delete()
    Report.objects.all().delete()  # the queryset's delete: the model refuses one at a time
    MonitoringRun.objects.all().delete()
    # The penalty lines are change-logged (created, then deleted here): nothing may outlive
    # the module in the change log, which other tests read on the same worker.
    ObjectChange.objects.filter(pk__gt=_CHANGES_BEFORE.pop()).delete()
    IncidentImpact.objects.all().delete()
    Incident.objects.all().delete()
    with psycopg.connect(conninfo_for(connection.settings_dict)) as conn:
        drop_readonly(conn)
        conn.execute("TRUNCATE " + ", ".join(METRICS_TABLES))
