"""Discovery through NAPALM's mock driver (recorded getter outputs) and the drift comparison."""

from __future__ import annotations

from pathlib import Path

from topology.discovery.drift import DocumentedLink, compare
from topology.discovery.napalm_source import DeviceReport, napalm_report, open_driver

RECORDINGS = Path(__file__).parent / "napalm"
DEVICES = ["quimper-rtr1", "brest-rtr1", "lorient-rtr1", "vannes-rtr1", "lannion-rtr1"]


def report() -> DeviceReport:
    driver = open_driver("mock", "quimper-rtr1", path=str(RECORDINGS / "quimper-rtr1"))
    try:
        return napalm_report("quimper-rtr1", driver)
    finally:
        driver.close()


def test_napalm_getters_give_hostname_interfaces_and_neighbours() -> None:
    r = report()
    assert r.hostname == "quimper-rtr1"
    assert "xe-0/1/0" in r.interfaces
    assert {(n.local_port, n.remote_system, n.remote_port) for n in r.neighbours} == {
        ("xe-0/1/0", "brest-rtr1.backbone.example", "xe-0/1/0"),
        ("xe-0/1/2", "lorient-rtr1", "xe-0/1/1"),
        ("xe-0/1/3", "vannes-rtr1", "Ethernet1/1"),
        ("ge-0/0/0", "mystery-sw", "Gi0/1"),
    }


def test_drift_finds_wrong_port_missing_undocumented_and_unknown() -> None:
    documented = [
        DocumentedLink(1, "quimper-rtr1", "xe-0/1/0", "brest-rtr1", "xe-0/1/0"),  # as seen
        DocumentedLink(2, "quimper-rtr1", "xe-0/1/1", "lorient-rtr1", "xe-0/1/1"),  # seen on 0/1/2
        DocumentedLink(3, "quimper-rtr1", "xe-0/2/0", "lannion-rtr1", "xe-0/2/0"),  # not seen
        DocumentedLink(4, "rennes-rtr1", "xe-0/1/0", "vannes-rtr2", "xe-0/1/0"),  # not queried
    ]
    findings = compare(documented, report().neighbours, DEVICES, queried=["quimper-rtr1"])
    got = [(f.kind, f.link_id, f.a_device, f.a_port, f.z_device, f.z_port) for f in findings]
    assert got == [
        ("missing", 3, "quimper-rtr1", "xe-0/2/0", "lannion-rtr1", "xe-0/2/0"),
        ("undocumented", None, "quimper-rtr1", "xe-0/1/3", "vannes-rtr1", "Ethernet1/1"),
        ("unknown_neighbour", None, "quimper-rtr1", "ge-0/0/0", "mystery-sw", "Gi0/1"),
        ("wrong_port", 2, "quimper-rtr1", "xe-0/1/1", "lorient-rtr1", "xe-0/1/1"),
    ]
    wrong = next(f for f in findings if f.kind == "wrong_port")
    assert "quimper-rtr1 xe-0/1/2" in wrong.detail
    assert (wrong.seen_a_port, wrong.seen_z_port) == ("xe-0/1/2", "xe-0/1/1")


def test_an_adjacency_reported_by_both_sides_counts_once() -> None:
    from topology.discovery.types import Neighbour

    both = [
        Neighbour("a", "p1", "b", "p2"),
        Neighbour("b", "p2", "a.example.org", "p1"),
    ]
    assert compare([], both, ["a", "b"], queried=["a", "b"])[0].kind == "undocumented"
    assert len(compare([], both, ["a", "b"], queried=["a", "b"])) == 1
    assert compare([DocumentedLink(9, "A", "P1", "B", "P2")], both, ["a", "b"], ["a"]) == []
