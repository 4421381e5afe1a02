"""SPOF list, composite failures, redundancy, paths and shared-fate findings on a known network."""

from __future__ import annotations

from tests.topology.networks import tiny
from topology.analysis import Network
from topology.graph import DeviceRow, LinkRow, PopRow, SiteRow, build_graph
from topology.reports import (
    element_impact,
    operator_element,
    path_to_core,
    pop_element,
    redundancy,
    shared_fate,
    single_homed,
    spof,
)


def test_spof_lists_pops_routers_and_bridges_with_what_they_cut() -> None:
    found = {(e.element.kind, e.element.name): e.impact for e in spof(tiny())}
    assert found[("pop", "C")].isolated == {"establishment:1"}
    assert found[("pop", "A")].isolated == {"establishment:1"}
    assert found[("pop", "A")].degraded == {"establishment:2"}
    assert found[("device", "b-core")].isolated == {"establishment:3"}
    assert found[("link", "c-rtr – a-core")].isolated == {"establishment:1"}
    # The A–B backbone link cuts nothing: both cores reach the core root on their own.
    assert all(kind != "link" or name != "a-core – b-core" for kind, name in found)


def test_pop_failure_takes_its_devices_down() -> None:
    net = tiny()
    element = pop_element(net, 2)
    assert set(element.nodes) == {"pop:2", "device:20"}
    assert element_impact(net, element).isolated == {"establishment:3"}


def test_operator_failure_cuts_all_its_links_at_once() -> None:
    net = tiny([LinkRow(7, 103, 10, "backup", operator="Other")])
    # S3 now has a backup through operator "Other": losing operator "" (the rest) degrades it
    element = operator_element(net, "Other")
    assert element.edges == ("link:7",)
    assert element_impact(net, element).degraded == {"establishment:3"}


def test_redundancy_counts_disjoint_paths_from_the_cpe() -> None:
    net = tiny()
    assert redundancy(net, "establishment:2").node_disjoint == 2
    assert redundancy(net, "establishment:2").edge_disjoint == 2
    assert redundancy(net, "establishment:1").node_disjoint == 1
    assert single_homed(net) == ["establishment:1", "establishment:3"]


def test_path_to_core_names_links_and_operators() -> None:
    net = tiny()
    hops = path_to_core(net, "establishment:1")
    assert [h.name for h in hops] == ["one", "cpe1", "c-rtr", "a-core", "Backbone core"]
    assert [h.link for h in hops] == [None, None, "link:3", "link:2", None]


def test_dual_homing_on_one_pop_or_one_duct_is_a_finding() -> None:
    pops = [PopRow(1, "A", "backbone"), PopRow(2, "B", "backbone")]
    devices = [
        DeviceRow(10, "a1", "core_router", pop_id=1),
        DeviceRow(11, "a2", "pop_router", pop_id=1),
        DeviceRow(20, "b1", "core_router", pop_id=2),
        DeviceRow(101, "cpe1", "cpe", establishment_id=1),
        DeviceRow(102, "cpe2", "cpe", establishment_id=2),
    ]
    sites = [SiteRow(1, "S1", "one"), SiteRow(2, "S2", "two")]
    links = [
        LinkRow(1, 10, 20, "backbone"),
        LinkRow(2, 101, 10, "primary"),
        LinkRow(3, 101, 11, "backup"),  # same PoP A
        LinkRow(4, 102, 10, "primary", duct="D-7"),
        LinkRow(5, 102, 20, "backup", duct="D-7"),  # two PoPs, one duct
    ]
    findings = {
        (f.site, f.kind) for f in shared_fate(Network(build_graph(pops, devices, sites, links)))
    }
    assert ("establishment:1", "same_pop") in findings
    assert ("establishment:2", "same_duct") in findings
    assert ("establishment:2", "same_pop") not in findings
