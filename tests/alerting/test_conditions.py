"""Saturation and error-rate readings (pure), then incidents from them through the engine and
paging with a real database, a real SMTP sink and a real HTTP receiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from alerting.conditions import ConditionParams, LinkPorts, read_conditions, utilisation
from alerting.correlation import Verdict
from alerting.live import ConditionRules, LiveContext, detect_conditions, verdict_of
from alerting.models import AlertRoute, Incident, MaintenanceWindow, MicroOutage
from metrics.types import InterfaceSample, OperStatus
from tests.alerting.receivers import HttpSink, SmtpSink, http_sink, smtp_sink
from tests.factories.inventory import small_network

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
PORT = LinkPorts("link:1", a_interface=11, z_interface=12, down_bps=10_000_000, up_bps=2_000_000)


def sample(
    iface: int,
    in_bps: float | None = None,
    out_bps: float | None = None,
    errors: int | None = 0,
    interval: float | None = 60.0,
    status: OperStatus = OperStatus.UP,
) -> InterfaceSample:
    return InterfaceSample(
        T0, 1, iface, interval, in_bps, out_bps, errors, 0, 0, 0, status, True, 100_000_000
    )


# Pure readings -------------------------------------------------------------------------------


def test_utilisation_is_the_worst_direction_of_the_committed_rates() -> None:
    # down 7 of 10 Mbit/s = 70 %, up 1.7 of 2 Mbit/s = 85 %: the link is at 85 %.
    assert utilisation(PORT, {11: sample(11, 7e6, 1.7e6)}) == pytest.approx(85.0)


def test_the_pop_side_stands_in_when_the_cpe_has_no_rate() -> None:
    # Z end's output is the site's download: 9 of 10 Mbit/s.
    by_iface = {11: sample(11, None, None), 12: sample(12, in_bps=0.5e6, out_bps=9e6)}
    assert utilisation(PORT, by_iface) == pytest.approx(90.0)


def test_threshold_is_inclusive_and_missing_data_is_unknown_not_fine() -> None:
    params = ConditionParams(saturation_pct=80.0, errors_per_minute=60)
    exactly = read_conditions([PORT], [sample(11, 8e6, 0.0)], params)
    assert dict(exactly.saturated) == {"link:1": pytest.approx(80.0)}
    below = read_conditions([PORT], [sample(11, 7.99e6, 0.0)], params)
    assert dict(below.saturated) == {}
    assert below.unknown_rate == frozenset()
    nothing = read_conditions([PORT], [], params)
    assert nothing.unknown_rate == {"link:1"}
    assert nothing.unknown_errors == {"link:1"}


def test_a_service_class_threshold_replaces_the_default_for_its_links() -> None:
    params = ConditionParams(saturation_pct=80.0, errors_per_minute=60)
    premium = LinkPorts(
        "link:2", 21, 22, down_bps=10_000_000, up_bps=2_000_000, saturation_pct=60.0
    )
    at_65 = [sample(11, 6.5e6, 0.0), sample(21, 6.5e6, 0.0)]
    reading = read_conditions([PORT, premium], at_65, params)
    assert dict(reading.saturated) == {"link:2": pytest.approx(65.0)}


def test_errors_per_minute_add_both_ends_over_the_interval() -> None:
    params = ConditionParams(saturation_pct=80.0, errors_per_minute=60)
    # 40 + 30 errors in 60 s = 70/min ≥ 60/min
    spike = read_conditions([PORT], [sample(11, errors=40), sample(12, errors=30)], params)
    assert dict(spike.erroring) == {"link:1": pytest.approx(70.0)}
    # 50 errors in 120 s = 25/min
    calm = read_conditions([PORT], [sample(11, errors=50, interval=120.0)], params)
    assert dict(calm.erroring) == {}


def test_a_busy_link_with_a_healthy_error_ratio_is_no_spike() -> None:
    """Found in the demo: 10 Gbit/s backbone links at 1 error per 10⁸–10¹⁰ octets paged."""
    params = ConditionParams(saturation_pct=80.0, errors_per_minute=60, error_ratio=1e-6)
    # 3 + 3 Gbit/s: 45 GB a minute, 200 errors = 4.4e-9 per octet.
    healthy = read_conditions([PORT], [sample(11, in_bps=3e9, out_bps=3e9, errors=200)], params)
    assert dict(healthy.erroring) == {}
    assert healthy.unknown_errors == frozenset()
    # A small line: 8 Mbit/s, 70 errors in a minute = 1.2e-6 per octet: a spike.
    small = read_conditions([PORT], [sample(11, in_bps=7e6, out_bps=1e6, errors=70)], params)
    assert dict(small.erroring) == {"link:1": pytest.approx(70.0)}
    # Errors and no traffic at all: a spike (a dead line still counting CRC errors).
    dead = read_conditions([PORT], [sample(11, in_bps=0.0, out_bps=0.0, errors=70)], params)
    assert dict(dead.erroring) == {"link:1": pytest.approx(70.0)}


# Through the engine --------------------------------------------------------------------------


@pytest.fixture
def receivers(db: None) -> Iterator[tuple[SmtpSink, HttpSink]]:
    with smtp_sink() as smtp, http_sink() as hook:
        mail = {"MENHIR_SMTP_HOST": smtp.host, "MENHIR_SMTP_PORT": smtp.port}
        with override_settings(
            **mail,
            MENHIR_SMTP_FROM="noc@syndicat.example",
            MENHIR_SATURATION_PCT=80.0,
            MENHIR_SATURATION_MINUTES=3,
            MENHIR_ERROR_RATE_PER_MIN=60.0,
            MENHIR_ERROR_RATE_MINUTES=2,
            MENHIR_CONDITION_CLEAR_MINUTES=2,
        ):
            yield smtp, hook


class Traffic:
    """One poll a minute of the network's interfaces, with chosen rates on the first link."""

    def __init__(self, net: dict[str, Any]) -> None:
        self.net = net
        link = net["links"][0]
        link.committed_down_bps, link.committed_up_bps = 10_000_000, 2_000_000
        link.save()
        self.link = link
        self.ctx = LiveContext.load()
        self.rules = ConditionRules.from_settings()
        self.minute = 0

    def cycle(self, down_bps: float | None, errors: int = 0, oper_down: bool = False) -> Any:
        start = T0 + timedelta(minutes=self.minute)
        self.minute += 1
        samples = []
        if down_bps is not None or oper_down:
            status = OperStatus.DOWN if oper_down else OperStatus.UP
            samples.append(sample(self.link.a_interface_id, down_bps, 0.1e6, errors, 60.0, status))
        verdict = verdict_of(self.ctx, [], samples) if oper_down else Verdict(False)
        return detect_conditions(
            self.ctx, verdict, samples, start, start + timedelta(minutes=1), self.rules
        )

    def run(self, n: int, down_bps: float | None, errors: int = 0) -> list[Any]:
        return [self.cycle(down_bps, errors) for _ in range(n)]


def route_to(net: dict[str, Any], smtp: SmtpSink, hook: HttpSink) -> None:
    """The link operator's on-call wants warnings too: saturation is one."""
    AlertRoute.objects.create(
        name="Armor NOC",
        operator=net["operator"],
        channel="email",
        target="noc@armor.example",
        min_severity="warning",
    )
    AlertRoute.objects.create(
        name="Armor hook",
        operator=net["operator"],
        channel="webhook",
        target=hook.url,
        secret="s3cret",
        min_severity="warning",
    )


def test_saturation_for_n_minutes_is_one_backdated_incident_one_page_then_recovery(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, hook = receivers
    net = small_network()
    route_to(net, smtp, hook)
    traffic = Traffic(net)
    traffic.run(2, 9.5e6)  # two minutes at 95 %: not yet (3 minutes needed)
    assert Incident.objects.count() == 0
    traffic.run(1, 9.5e6)
    (incident,) = Incident.objects.all()
    assert incident.kind == "saturation"
    assert incident.start == T0  # backdated to the first saturated poll
    assert incident.operator == net["operator"]
    assert incident.element_key == f"sat:link:{traffic.link.pk}"
    assert (incident.impacted_count, incident.degraded_count) == (0, 1)
    assert incident.severity == "warning"
    assert incident.impacts.get().establishment == net["sites"][0]
    assert "95 %" in incident.root_name
    traffic.run(5, 9.9e6)  # still saturated: no second page
    traffic.run(1, 3e6)  # one calm minute is not a recovery (2 needed)
    assert Incident.objects.get().end is None
    traffic.run(1, 3e6)
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=8)
    subjects = [m[2]["Subject"] for m in smtp.messages]
    assert len(subjects) == 2
    assert subjects[0].startswith(f"[Menhir] WARNING #{incident.pk} Saturation: Lycée")
    assert subjects[0].endswith("— 1 establishments degraded")
    assert subjects[1].startswith(f"[Menhir] RECOVERED #{incident.pk}")
    assert [m[1] for m in smtp.messages] == [["noc@armor.example"]] * 2
    events = [json.loads(r["body"])["event"] for r in hook.requests]
    assert events == ["page", "recovery"]
    assert json.loads(hook.requests[0]["body"])["incident"]["kind"] == "saturation"


def test_short_saturation_is_a_recorded_burst_and_pages_nobody(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, hook = receivers
    net = small_network()
    route_to(net, smtp, hook)
    traffic = Traffic(net)
    traffic.run(2, 9e6)
    traffic.run(3, 1e6)
    assert Incident.objects.count() == 0
    (burst,) = MicroOutage.objects.all()
    assert burst.element_key == f"sat:link:{traffic.link.pk}"
    assert (burst.start, burst.end) == (T0, T0 + timedelta(minutes=2))
    assert smtp.messages == []
    assert hook.requests == []


def test_the_service_class_alert_threshold_reaches_the_live_detection(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    """A class that alerts at 60 %: 65 % for three minutes opens an incident, while the
    default (80 %) would not."""
    net = small_network()
    service_class = net["links"][0].service_class
    service_class.saturation_alert_pct = Decimal("60")
    service_class.save()
    traffic = Traffic(net)
    traffic.run(3, 6.5e6)
    incident = Incident.objects.get(kind="saturation")
    assert incident.start == T0
    assert "(65 %)" in incident.root_name


def test_missing_samples_are_unknown_and_a_down_link_has_no_load(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    net = small_network()
    traffic = Traffic(net)
    traffic.run(3, 9e6)
    assert Incident.objects.get().end is None
    # One poll without rates: UNKNOWN ends the episode at its last saturated poll
    # (docs/sla.md R3/R4); an UP poll would not have (n_up = 2 calm polls are needed).
    traffic.run(1, None)
    assert Incident.objects.get().end == T0 + timedelta(minutes=3)
    # The link itself down, its CPE still reporting a high rate: its outage, not its load.
    for _ in range(4):
        traffic.cycle(9e6, oper_down=True)
    (saturation,) = Incident.objects.filter(kind="saturation")
    assert saturation.end == T0 + timedelta(minutes=3)
    assert not saturation.flapping


def test_error_spike_is_its_own_incident_beside_saturation(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, hook = receivers
    net = small_network()
    route_to(net, smtp, hook)
    traffic = Traffic(net)
    traffic.run(3, 9e6, errors=500)  # saturated and erroring
    kinds = sorted(Incident.objects.values_list("kind", "element_key"))
    link = traffic.link.pk
    assert kinds == [("error_rate", f"err:link:{link}"), ("saturation", f"sat:link:{link}")]
    assert "500 errors/min" in Incident.objects.get(kind="error_rate").root_name
    assert len(smtp.messages) == 2


def test_saturation_inside_a_maintenance_window_is_recorded_not_paged(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, hook = receivers
    net = small_network()
    route_to(net, smtp, hook)
    traffic = Traffic(net)
    window = MaintenanceWindow.objects.create(
        title="re-grooming",
        operator=net["operator"],
        planned_start=T0 - timedelta(hours=1),
        planned_end=T0 + timedelta(hours=1),
        notified_at=T0 - timedelta(days=20),
    )
    window.links.add(traffic.link)
    traffic.run(3, 9e6)
    assert Incident.objects.get().in_maintenance
    assert smtp.messages == []
    assert hook.requests == []
