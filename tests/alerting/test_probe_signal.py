"""The prober's results in detection, without the lab: the pure readings (`alerting.quality`),
and `alerting.live.detect_slot` over successive slots with given probe rows (the lab test,
test_probe_detection.py, runs the real prober and poller)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from alerting.correlation import Verdict
from alerting.detector import DetectorParams
from alerting.live import ConditionRules, DownSet, LiveContext, detect_conditions, detect_slot
from alerting.models import AlertRoute, Incident, MaintenanceWindow
from alerting.quality import KpiTargets, answering, read_quality
from core.accounts import set_role
from metrics.types import LinkProbe
from tests.factories.inventory import small_network

T0 = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
PARAMS = DetectorParams(slot_seconds=60, n_down=3, n_up=2)


def probe(
    minute: int, link: int, device: int, sent: int = 5, lost: int = 0, **kw: float
) -> LinkProbe:
    rtt = kw.get("rtt", 3.0) if lost < sent else None
    jitter = kw.get("jitter", 0.5) if sent - lost > 1 else None
    return LinkProbe(
        T0 + timedelta(minutes=minute), link, device, "twamp", sent, lost, rtt, rtt, rtt, jitter
    )


def test_a_device_answers_when_a_probe_of_its_latest_slot_was_answered() -> None:
    rows = [
        probe(0, 1, 10, lost=5), probe(1, 1, 10, lost=4),  # latest slot: one answered
        probe(0, 2, 20), probe(1, 2, 20, lost=5),  # answered before, all lost now: silent
        probe(1, 3, 30, sent=0, lost=0),  # nothing sent: no data
        probe(1, 4, 40, lost=5), probe(1, 5, 40),  # two links, one answered in the slot
    ]  # fmt: skip
    assert answering(rows) == frozenset({10, 40})


def test_quality_is_strictly_above_the_target_and_unknown_without_a_measurement() -> None:
    targets = [
        KpiTargets("link:1", rtt_ms=20, loss_pct=1, jitter_ms=5),
        KpiTargets("link:2", rtt_ms=20),
        KpiTargets("link:3", loss_pct=1, jitter_ms=5),
        KpiTargets("link:4", rtt_ms=20, loss_pct=1),
    ]
    rows = [
        probe(0, 1, 10, rtt=50), probe(1, 1, 10, lost=2, rtt=20, jitter=6),  # latest counts
        probe(1, 2, 20, rtt=20.5),
        probe(1, 3, 30, lost=5),  # all lost: loss 100 %, no jitter to judge
    ]  # fmt: skip
    reading = read_quality(targets, rows)
    assert reading.over == {
        "latency": {"link:2": 20.5},  # 20 ms is the target, not above it
        "loss": {"link:1": 40.0, "link:3": 100.0},
        "jitter": {"link:1": 6.0},
    }
    assert reading.unknown == {
        "latency": frozenset({"link:4"}),  # no probe result at all
        "loss": frozenset({"link:4"}),
        "jitter": frozenset({"link:3"}),
    }


@pytest.mark.django_db
def test_agent_silent_is_a_monitoring_fault_until_probes_are_lost_too_then_an_outage() -> None:
    net = small_network()
    ctx = LiveContext.load()
    link = net["links"][0]
    cpe = link.a_interface.device_id
    down = DownSet(frozenset({cpe}))

    def slots(minutes: range, lost: int | None) -> None:
        for m in minutes:
            start = T0 + timedelta(minutes=m)
            rows = [] if lost is None else [probe(m, link.pk, cpe, lost=lost)]
            detect_slot(ctx, down, start, start + timedelta(minutes=1), PARAMS, probes=rows)

    slots(range(4), lost=1)  # SNMP silent, 4 of 5 probes answered
    fault = Incident.objects.get(kind="monitoring_fault")
    assert (fault.element_key, fault.severity, fault.operator_id) == (
        f"mon:device:{cpe}",
        "warning",
        None,
    )
    assert (fault.start, fault.end) == (T0, None)
    assert not Incident.objects.exclude(pk=fault.pk)  # no outage of the device, link or site

    slots(range(4, 7), lost=5)  # probes lost too: down, as without a prober
    fault.refresh_from_db()
    assert fault.end == T0 + timedelta(minutes=4)  # ended at its last slot, not "recovered"
    assert list(fault.events.values_list("kind", flat=True)) == ["opened", "unobserved"]
    outage = Incident.objects.get(kind="access_down")
    assert (outage.start, outage.end) == (T0 + timedelta(minutes=4), None)


@pytest.mark.django_db
def test_without_probe_data_snmp_alone_decides() -> None:
    net = small_network()
    ctx = LiveContext.load()
    cpe = net["links"][0].a_interface.device_id
    for m in range(3):
        start = T0 + timedelta(minutes=m)
        detect_slot(
            ctx, DownSet(frozenset({cpe})), start, start + timedelta(minutes=1), PARAMS, probes=[]
        )
    assert list(Incident.objects.values_list("kind", "start")) == [("access_down", T0)]


@pytest.mark.django_db
def test_the_incidents_page_shows_monitoring_faults_and_quality_incidents_in_french(
    settings: Any,
) -> None:
    net = small_network()
    link = net["links"][0]
    cpe = link.a_interface.device_id
    link.service_class.kpi_rtt_ms = 20
    link.service_class.save()
    ctx = LiveContext.load()
    for m in range(3):
        start = T0 + timedelta(minutes=m)
        rows = [probe(m, link.pk, cpe, rtt=45.0)]
        detect_slot(
            ctx, DownSet(frozenset({cpe})), start, start + timedelta(minutes=1), PARAMS, probes=rows
        )
    rules = ConditionRules(ConditionRules.from_settings().thresholds, 15, 5, 5, quality_minutes=2)
    for m in range(2):
        start = T0 + timedelta(minutes=m)
        rows = [probe(m, link.pk, cpe, rtt=45.0)]
        detect_conditions(
            ctx, Verdict(False, ()), [], start, start + timedelta(minutes=1), rules, probes=rows
        )
    assert set(Incident.objects.values_list("kind", flat=True)) == {"monitoring_fault", "latency"}
    settings.LANGUAGE_CODE = "fr"
    user = get_user_model().objects.create_user("noc-reader", password="pw-reader-123456")
    set_role(user, "read")
    client = Client()
    client.force_login(user)
    body = client.get("/alerting/incidents/", headers={"accept-language": "fr"}).content.decode()
    assert "Défaut de supervision (agent SNMP muet)" in body
    assert "Latence au-delà de l&#x27;objectif" in body
    assert "(45 ms)" in body


@pytest.mark.django_db
def test_a_quality_incident_in_a_maintenance_window_is_recorded_and_pages_nobody() -> None:
    net = small_network()
    link = net["links"][0]
    cpe = link.a_interface.device_id
    link.service_class.kpi_loss_pct = 1
    link.service_class.save()
    AlertRoute.objects.create(
        name="NOC",
        operator=net["operator"],
        channel="email",
        target="noc@armor.example",
        min_severity="warning",
    )
    window = MaintenanceWindow.objects.create(
        title="Fibre works",
        planned_start=T0 - timedelta(hours=1),
        planned_end=T0 + timedelta(hours=2),
        notified_at=T0 - timedelta(days=15),
    )
    window.links.add(link)
    ctx = LiveContext.load()
    rules = ConditionRules(ConditionRules.from_settings().thresholds, 15, 5, 5, quality_minutes=2)
    reports = []
    for m in range(2):
        start = T0 + timedelta(minutes=m)
        rows = [probe(m, link.pk, cpe, lost=2)]
        end = start + timedelta(minutes=1)
        report = detect_conditions(ctx, Verdict(False, ()), [], start, end, rules, probes=rows)
        reports.append(report)
    loss = Incident.objects.get(element_key=f"loss:link:{link.pk}")
    assert (loss.kind, loss.start, loss.in_maintenance) == ("loss", T0, True)
    assert [r.pages_sent for r in reports] == [0, 0]
    assert not loss.notifications.exists()
