"""The fast single-failure analysis agrees with brute force; the definitions hold on cases."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.topology.networks import ring_network
from tests.topology.networks import tiny as _tiny
from topology.analysis import Impact, Network, all_single_failures, baseline_isolated, impact
from topology.graph import DeviceRow, LinkRow, PopRow, SiteRow, build_graph


def brute_force(net: Network, element: str) -> Impact:
    if element.startswith("link:"):
        return impact(net, failed_edges=[element])
    return impact(net, failed_nodes=[element])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), gap=st.booleans(), dual=st.floats(0, 0.6))
def test_block_cut_tree_impacts_equal_brute_force_for_every_element(
    seed: int, gap: bool, dual: float
) -> None:
    rng = random.Random(seed)
    net = Network(build_graph(*ring_network(rng, n_sites=30, dual_share=dual, ring_gap=gap)))
    fast = all_single_failures(net)
    for element, found in fast.items():
        assert found == brute_force(net, element), element


def test_router_failure_isolates_single_homed_and_degrades_dual_homed() -> None:
    net = _tiny()
    fast = all_single_failures(net)
    a = fast["device:10"]
    # a-core down: C hangs off it (S1 cut); S2 keeps its backup on B; S3 untouched.
    assert a.isolated == {"establishment:1"}
    assert a.degraded == {"establishment:2"}


def test_cpe_never_carries_transit_between_pops() -> None:
    net = _tiny()
    # The backbone link A–B down: each core stays on the core root; S2's CPE is not a path.
    cut = impact(net, failed_edges=["link:1"])
    assert cut.isolated == frozenset()
    assert cut.degraded == frozenset()
    # Secondary uplink down: S1 is cut, even though nothing else changed.
    assert impact(net, failed_edges=["link:2"]).isolated == {"establishment:1"}


def test_access_link_failure_degrades_only_when_another_link_survives() -> None:
    fast = all_single_failures(_tiny())
    assert fast["link:4"] == fast["link:5"]
    assert fast["link:4"].degraded == {"establishment:2"}
    assert not fast["link:4"].isolated
    assert fast["link:6"].isolated == {"establishment:3"}


def test_site_whose_only_router_is_orphaned_is_reported_as_baseline_isolated() -> None:
    pops = [PopRow(1, "A", "backbone"), PopRow(2, "X", "secondary", 1)]
    devices = [
        DeviceRow(10, "a", "core_router", pop_id=1),
        DeviceRow(20, "x", "pop_router", pop_id=2),  # no uplink documented
        DeviceRow(30, "cpe", "cpe", establishment_id=7),
    ]
    net = Network(
        build_graph(pops, devices, [SiteRow(7, "S7", "seven")], [LinkRow(1, 30, 20, "primary")])
    )
    assert baseline_isolated(net) == {"establishment:7"}
    assert all(not i.isolated for i in all_single_failures(net).values())
