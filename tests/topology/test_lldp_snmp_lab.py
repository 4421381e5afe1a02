"""LLDP discovery over SNMP against the real lab (real UDP, v2c and v3 agents): the documented
network gives no drift; a link taken down gives `missing`; swapped cables give `wrong_port`."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from typer.testing import CliRunner

from inventory.models import SNMPProfile
from menhir.cli import app
from poller.targets import load_targets
from simulation.lab.model import LabDevice, LabInterface, LabNetwork
from simulation.lab.supervisor import Lab, LabOptions
from simulation.lab.worker import WorkerOptions
from tests.simulation.lab.conftest import RunningLab, lab, running_lab, small  # noqa: F401
from tests.simulation.lab.small_network import build
from topology.actions import documented_links
from topology.discovery.drift import compare
from topology.discovery.napalm_source import DeviceReport
from topology.discovery.snmp_run import query_lldp
from topology.models import DiscoveryRun

pytestmark = pytest.mark.django_db


def _discover() -> tuple[list[DeviceReport], dict[str, str], list[Any]]:
    targets = load_targets().targets
    reports, errors = asyncio.run(query_lldp(targets))
    names = [t.name for t in targets]
    findings = compare(
        documented_links(names),
        [n for r in reports for n in r.neighbours],
        names,
        [r.device for r in reports],
    )
    return reports, errors, findings


def test_every_agent_reports_the_documented_links_and_nothing_else(lab: RunningLab) -> None:  # noqa: F811
    build(lab.net)
    reports, errors, findings = _discover()
    assert errors == {}
    assert {r.device for r in reports} == {d.name for d in lab.network.devices}
    assert findings == []
    by_device = {r.device: r for r in reports}
    cpe = by_device["cpe-0350002b"]  # the SNMPv3 authPriv CPE: through the pysnmp session
    assert cpe.hostname == "cpe-0350002b"
    assert {"Gi0/0/0", "Gi0/1/0", "Gi0/1/1", "Gi0/1/2"} <= cpe.interfaces
    (n,) = cpe.neighbours
    assert (n.local_port, n.remote_system, n.source) == ("Gi0/0/0", "pop-rennes-1", "lldp-snmp")
    assert n.remote_port.startswith("xe-0/0/")
    assert len(n.remote_chassis.split(":")) == 6
    links = sum(1 for d in lab.network.devices for i in d.interfaces if i.neighbour)
    assert sum(len(r.neighbours) for r in reports) == links


def test_a_link_down_in_the_lab_is_a_missing_link_and_the_cli_stores_it(lab: RunningLab) -> None:  # noqa: F811
    build(lab.net)
    lab.api("POST", "/faults", {"fault": "iface-down", "target": "0290001C"})
    result = CliRunner().invoke(app, ["topology", "discover", "--source", "snmp"])
    assert result.exit_code == 0, result.output
    run = DiscoveryRun.objects.get()
    assert (run.source, run.devices_queried, run.errors) == ("lldp-snmp", 7, {})
    (finding,) = run.findings.all()
    assert (finding.kind, finding.a_device, finding.z_device) == (
        "missing",
        "cpe-0290001c",
        "pop-brest-1",
    )
    assert finding.link_id is not None


def test_an_editor_starts_a_discovery_through_the_api(lab: RunningLab) -> None:  # noqa: F811
    from django.test import Client

    from core.accounts import create_token

    build(lab.net)
    lab.api("POST", "/faults", {"fault": "iface-down", "target": "0290001C"})
    _, reader_key = create_token("viewer", "read")
    _, editor_key = create_token("engineer", "edit")
    reader = Client(HTTP_AUTHORIZATION=f"Token {reader_key}")
    editor = Client(HTTP_AUTHORIZATION=f"Token {editor_key}")
    url = "/api/topology/discovery-runs/"
    assert reader.post(url, {"source": "snmp"}, content_type="application/json").status_code == 403
    bad = editor.post(url, {"source": "ftp"}, content_type="application/json")
    assert bad.status_code == 400
    assert "source" in bad.json()
    unknown = editor.post(
        url, {"source": "snmp", "devices": ["cpe-nowhere"]}, content_type="application/json"
    )
    assert unknown.status_code == 400
    assert "cpe-nowhere" in str(unknown.json()["devices"])
    assert not DiscoveryRun.objects.exists()  # nothing asked, nothing stored
    started = editor.post(url, {"source": "snmp"}, content_type="application/json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert (body["source"], body["devices_queried"], body["errors"]) == ("lldp-snmp", 7, {})
    assert body["findings"] == {"missing": 1}
    assert body["skipped"] == {}
    listed = reader.get(url).json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    drift = reader.get(f"/api/topology/drift/?run={body['id']}").json()["results"]
    assert [(f["kind"], f["a_device"]) for f in drift] == [("missing", "cpe-0290001c")]
    one = editor.post(
        url,
        {"source": "snmp", "devices": ["cpe-0350001a", "pop-rennes-1"]},
        content_type="application/json",
    )
    assert one.status_code == 201
    assert (one.json()["devices_queried"], one.json()["findings"]) == (2, {})


def test_a_silent_device_is_an_error_of_its_own_not_an_abort(lab: RunningLab) -> None:  # noqa: F811
    build(lab.net)
    SNMPProfile.objects.update(timeout_ms=300, retries=0)
    lab.api("POST", "/faults", {"fault": "silent", "target": "cpe-0350003d"})
    reports, errors, _ = _discover()
    assert list(errors) == ["cpe-0350003d"]
    assert "no reply" in errors["cpe-0350003d"]
    assert len(reports) == len(lab.network.devices) - 1


def test_only_the_devices_asked_for_and_bad_source_is_refused(lab: RunningLab) -> None:  # noqa: F811
    build(lab.net)
    result = CliRunner().invoke(
        app, ["topology", "discover", "--source", "snmp", "--device", "pop-vitre-1"]
    )
    assert result.exit_code == 0, result.output
    assert DiscoveryRun.objects.get().devices_queried == 1
    bad = CliRunner().invoke(app, ["topology", "discover", "--source", "telnet"])
    assert bad.exit_code == 2
    assert "expected napalm or snmp" in bad.output


def _swap_cables(network: LabNetwork, device: str, first: str, second: str) -> LabNetwork:
    """The two cables on `device`'s ports `first` and `second` swapped, as LLDP on both ends
    of both cables then reports it."""
    ports = {i.name: i for d in network.devices if d.name == device for i in d.interfaces}
    a, b = ports[first], ports[second]
    assert a.neighbour
    assert b.neighbour
    moved = {(device, first): b.neighbour, (device, second): a.neighbour}
    far = {
        (a.neighbour.device_name, a.neighbour.port_name): b,
        (b.neighbour.device_name, b.neighbour.port_name): a,
    }

    def rewire(d: LabDevice, i: LabInterface) -> LabInterface:
        if (d.name, i.name) in moved:
            return replace(i, neighbour=moved[d.name, i.name])
        if (d.name, i.name) in far and i.neighbour:
            new_port = far[d.name, i.name]
            return replace(
                i,
                neighbour=replace(
                    i.neighbour, port_name=new_port.name, port_description=new_port.description
                ),
            )
        return i

    devices = tuple(
        replace(d, interfaces=tuple(rewire(d, i) for i in d.interfaces)) for d in network.devices
    )
    return replace(network, devices=devices)


def test_swapped_cables_are_wrong_ports_on_both_links(
    small: Any,  # noqa: F811
) -> None:
    net, network = small
    build(net)
    rennes = next(d for d in network.devices if d.name == "pop-rennes-1")
    to_cpes = [
        i.name for i in rennes.interfaces if i.neighbour and "cpe" in i.neighbour.device_name
    ]
    first, second = to_cpes[:2]
    port = net.port + 1  # beside the module's lab, not on its sockets
    swapped = _swap_cables(network, "pop-rennes-1", first, second)
    swapped = replace(swapped, devices=tuple(replace(d, port=port) for d in swapped.devices))
    SNMPProfile.objects.update(port=port)
    loop = asyncio.new_event_loop()
    lab_ = Lab(swapped, LabOptions(control_port=0, workers=1, worker=WorkerOptions()))
    try:
        loop.run_until_complete(lab_.start())
        assert loop.run_until_complete(lab_.check_ready()) == []
        _, errors, findings = _discover()
    finally:
        loop.run_until_complete(lab_.stop())
        loop.close()
    assert errors == {}
    assert sorted((f.kind, f.z_device, f.z_port, f.seen_z_port) for f in findings) == sorted(
        [
            ("wrong_port", "pop-rennes-1", first, second),
            ("wrong_port", "pop-rennes-1", second, first),
        ]
    )
