"""One failure, one page: the engine over successive poll cycles, with real SMTP and HTTP
receivers; backdating, recovery, maintenance, flapping, acknowledgement links."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from typer.testing import CliRunner

from alerting.correlation import correlate
from alerting.detector import DetectorParams
from alerting.engine import CycleReport, process_cycle
from alerting.models import AlertRoute, Incident, IncidentImpact, MaintenanceWindow, MicroOutage
from menhir.cli import app
from tests.alerting.receivers import HttpSink, SmtpSink, http_sink, smtp_sink
from tests.factories.inventory import small_network
from topology.analysis import Network
from topology.graph import device_node
from topology.loader import load_graph

pytestmark = pytest.mark.django_db
PARAMS = DetectorParams(slot_seconds=60, n_down=3, n_up=2)
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def receivers() -> Iterator[tuple[SmtpSink, HttpSink]]:
    with smtp_sink() as smtp, http_sink() as hook:
        mail = {"MENHIR_SMTP_HOST": smtp.host, "MENHIR_SMTP_PORT": smtp.port}
        with override_settings(**mail, MENHIR_SMTP_FROM="noc@syndicat.example"):
            yield from _routes(smtp, hook)


def _routes(smtp: SmtpSink, hook: HttpSink) -> Iterator[tuple[SmtpSink, HttpSink]]:
    """The syndicate's NOC is paged by e-mail and by webhook for its own elements."""
    AlertRoute.objects.create(name="NOC mail", channel="email", target="noc@syndicat.example")
    AlertRoute.objects.create(name="NOC hook", channel="webhook", target=hook.url, secret="k3y")
    yield smtp, hook


class Cycles:
    """Drives the engine one minute at a time with a given set of devices down."""

    def __init__(self) -> None:
        self.net = Network(load_graph())
        self.minute = 0

    def run(self, down: set[str], n: int = 1) -> list[CycleReport]:
        out = []
        for _ in range(n):
            start = T0 + timedelta(minutes=self.minute)
            verdict = correlate(self.net, down)
            out.append(
                process_cycle(self.net, verdict, start, start + timedelta(minutes=1), PARAMS)
            )
            self.minute += 1
        return out


def quimper_down(net: dict[str, Any]) -> set[str]:
    """The Quimper PoP router and the CPEs it cuts off stop answering."""
    cpes = {device_node(s.devices.get().pk) for s in net["sites"][:2]}
    return {device_node(net["routers"][0].pk)} | cpes


def test_pop_failure_is_one_backdated_incident_one_page_per_route_then_recovery(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, hook = receivers
    net = small_network()
    cycles = Cycles()
    reports = cycles.run(quimper_down(net), n=2)
    assert Incident.objects.count() == 0  # two bad polls: not yet an outage (n_down = 3)
    reports += cycles.run(quimper_down(net), n=3)
    (incident,) = Incident.objects.all()
    assert incident.kind == "pop_down"
    assert incident.root_name == "Quimper"
    assert incident.start == T0  # backdated to the first bad poll
    assert incident.impacted_count == 2
    assert incident.degraded_count == 1  # the CHU keeps its primary on Rennes
    assert incident.operator is None
    assert set(IncidentImpact.objects.values_list("imputability", flat=True)) == {"third_party"}
    assert sum(r.pages_sent for r in reports) == 2  # one e-mail, one webhook, once
    assert len(smtp.messages) == 1
    assert len(hook.requests) == 1
    assert json.loads(hook.requests[0]["body"])["incident"]["root_cause"]["name"] == "Quimper"
    cycles.run(set(), n=2)  # n_up = 2 good polls: recovered
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=5)  # end of the last bad poll
    assert [m[2]["X-Menhir-Event"] for m in smtp.messages] == ["page", "recovery"]
    assert json.loads(hook.requests[1]["body"])["event"] == "recovery"


def test_short_failure_is_a_micro_outage_and_pages_nobody(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, _hook = receivers
    net = small_network()
    cycles = Cycles()
    cycles.run(quimper_down(net), n=2)
    cycles.run(set(), n=1)
    assert Incident.objects.count() == 0
    assert MicroOutage.objects.count() == 1
    assert smtp.messages == []


def test_flapping_stays_one_incident_and_pages_once(receivers: tuple[SmtpSink, HttpSink]) -> None:
    smtp, _ = receivers
    net = small_network()
    cycles = Cycles()
    for _ in range(3):
        cycles.run(quimper_down(net), n=3)
        cycles.run(set(), n=2)
    (incident,) = Incident.objects.all()
    assert incident.flapping
    assert incident.reopen_count == 2
    assert [m[2]["X-Menhir-Event"] for m in smtp.messages].count("page") == 1


def test_maintenance_window_records_but_does_not_page(receivers: tuple[SmtpSink, HttpSink]) -> None:
    smtp, hook = receivers
    net = small_network()
    window = MaintenanceWindow.objects.create(
        title="Quimper power works",
        planned_start=T0 - timedelta(hours=1),
        planned_end=T0 + timedelta(hours=2),
        notified_at=T0 - timedelta(days=15),
    )
    window.pops.add(net["pops"][0])
    Cycles().run(quimper_down(net), n=4)
    (incident,) = Incident.objects.all()
    assert incident.in_maintenance
    assert smtp.messages == []
    assert hook.requests == []


def test_collector_isolation_is_unknown_and_closes_nothing_into_a_page(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, _ = receivers
    net = small_network()
    cycles = Cycles()
    everything = {
        device_node(d.pk)
        for d in __import__("inventory.models", fromlist=["Device"]).Device.objects.all()
    }
    canaries = {device_node(r.pk) for r in net["routers"]}
    for _ in range(5):
        start = T0 + timedelta(minutes=cycles.minute)
        verdict = correlate(cycles.net, everything, canaries=canaries)
        assert verdict.collector_isolated
        process_cycle(cycles.net, verdict, start, start + timedelta(minutes=1), PARAMS)
        cycles.minute += 1
    assert Incident.objects.count() == 0
    assert smtp.messages == []


def test_missed_cycles_end_an_outage_without_a_recovery_notice(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    """The poller stopped for two cycles: UNKNOWN ends the outage at its last bad poll (SLA R3),
    but nobody is told it recovered; still down when polled again, it is the same incident."""
    smtp, _ = receivers
    net = small_network()
    cycles = Cycles()
    cycles.run(quimper_down(net), n=3)
    incident = Incident.objects.get()
    pages = len(smtp.messages)
    assert pages == 1
    cycles.minute += 2  # two cycles never ran
    cycles.run(quimper_down(net), n=1)
    incident.refresh_from_db()
    assert incident.end == T0 + timedelta(minutes=3)
    assert incident.events.filter(kind="unobserved").exists()
    assert not incident.events.filter(kind="recovered").exists()
    cycles.run(quimper_down(net), n=2)
    assert list(Incident.objects.all()) == [incident]
    incident.refresh_from_db()
    assert (incident.end, incident.reopen_count, incident.flapping) == (None, 1, False)
    assert incident.events.filter(kind="observed").exists()
    assert len(smtp.messages) == pages  # no recovery notice, no second page
    cycles.run(set(), n=2)
    assert [m[2]["X-Menhir-Event"] for m in smtp.messages] == ["page", "recovery"]


def test_ack_link_works_once_without_login_and_incidents_cli_counts_pages(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, _ = receivers
    net = small_network()
    Cycles().run(quimper_down(net), n=3)
    plain = smtp.messages[0][2].get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    url = re.search(r"http://\S+/alerting/ack/(\S+)/", text)
    assert url is not None
    path = f"/alerting/ack/{url.group(1)}/"
    anonymous = Client()
    assert anonymous.get(path).status_code == 200  # shows, does not acknowledge
    assert Incident.objects.get().acknowledged_at is None
    assert anonymous.post(path).status_code == 200
    incident = Incident.objects.get()
    assert incident.acknowledged_by == "noc@syndicat.example"
    assert anonymous.post(path).status_code == 410  # single use
    assert anonymous.get(path[:-2] + "x/").status_code == 410  # tampered
    assert anonymous.get("/topology/").status_code == 302  # grants nothing else
    result = CliRunner().invoke(app, ["incidents", "--open", "--json"])
    (row,) = json.loads(result.output)
    assert row["root_cause"] == {"kind": "pop", "id": net["pops"][0].pk, "name": "Quimper"}
    assert row["operator"] is None
    assert row["pages_sent"] == 2
    assert row["impacted_establishments"] == 2
    assert row["end"] is None
    assert row["start"].endswith("+00:00")


def test_incident_api_lists_details_and_acknowledges(receivers: tuple[SmtpSink, HttpSink]) -> None:
    from core.accounts import create_token

    net = small_network()
    Cycles().run(quimper_down(net), n=3)
    _, read_key = create_token("staff", "read")
    _, edit_key = create_token("engineer", "edit")
    reader = Client(HTTP_AUTHORIZATION=f"Token {read_key}")
    assert Client().get("/api/alerting/incidents/").status_code in (401, 403)
    listing = reader.get("/api/alerting/incidents/?open=true&department=29").json()
    assert listing["count"] == 1
    assert listing["results"][0]["pages_sent"] == 2
    assert reader.get("/api/alerting/incidents/?department=56").json()["count"] == 0
    incident_id = listing["results"][0]["id"]
    detail = reader.get(f"/api/alerting/incidents/{incident_id}/").json()
    assert [e["kind"] for e in detail["timeline"]][:1] == ["opened"]
    assert {i["code"]: i["state"] for i in detail["impacted"]} == {
        "LYC-29-001": "isolated",
        "MAI-29-002": "isolated",
        "CHU-35-001": "degraded",
    }
    assert reader.post(f"/api/alerting/incidents/{incident_id}/ack/").status_code == 403
    editor = Client(HTTP_AUTHORIZATION=f"Token {edit_key}")
    assert editor.post(f"/api/alerting/incidents/{incident_id}/ack/").json()["by"] == "engineer"
    assert editor.get("/api/alerting/incidents/999999/").status_code == 404


def test_incident_pages_show_the_incident_its_sites_and_its_pages(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    from django.contrib.auth import get_user_model

    from core.accounts import set_role

    net = small_network()
    Cycles().run(quimper_down(net), n=3)
    user = get_user_model().objects.create_user("viewer", password="pw-viewer-123")
    set_role(user, "read")
    client = Client()
    assert client.get("/alerting/incidents/").status_code == 302  # login first
    client.force_login(user)

    def rows(query: str) -> str:
        page = client.get(f"/alerting/incidents/?{query}").content.decode()
        return page[page.index("<tbody>") : page.index("</tbody>")]

    listing = rows("department=29")
    assert "Quimper" in listing
    assert "state-open" in listing
    assert "Quimper" not in rows("department=56")
    incident = Incident.objects.get()
    detail = client.get(f"/alerting/incidents/{incident.pk}/").content.decode()
    assert "Lycée de Cornouaille" in detail
    assert "noc@syndicat.example" in detail
    assert "Third party" in detail  # the imputability, in words
