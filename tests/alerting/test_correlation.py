"""Root cause on the topology: a PoP down is one incident, what is behind it is impacted."""

from __future__ import annotations

from alerting.correlation import correlate
from tests.topology.networks import tiny


def test_pop_down_is_one_root_cause_with_everything_behind_it_shadowed() -> None:
    net = tiny()
    # a-core (the whole PoP A) fails; C's router and S1's CPE behind it stop answering too.
    verdict = correlate(net, {"device:10", "device:30", "device:101"})
    assert not verdict.collector_isolated
    assert [(c.kind, c.name) for c in verdict.root_causes] == [("pop_down", "A")]
    cause = verdict.root_causes[0]
    assert cause.operator is None  # the syndicate's own PoP
    assert cause.impact.isolated == {"establishment:1"}
    assert cause.impact.degraded == {"establishment:2"}  # its backup on B keeps it up
    assert cause.shadowed == {"device:30", "device:101"}
    assert verdict.unexplained == frozenset()


def test_children_still_down_after_the_root_recovers_become_incidents() -> None:
    net = tiny()
    verdict = correlate(net, {"device:30", "device:101"})  # A is back, C still down
    assert [(c.kind, c.name) for c in verdict.root_causes] == [("pop_down", "C")]
    assert verdict.root_causes[0].shadowed == {"device:101"}


def test_cpe_down_behind_a_live_pop_is_the_access_operator_incident() -> None:
    net = tiny([])
    verdict = correlate(net, {"device:103"})
    (cause,) = verdict.root_causes
    assert cause.kind == "access_down"
    assert cause.site == "establishment:3"
    assert cause.impact.isolated == {"establishment:3"}


def test_backup_link_down_degrades_without_isolating() -> None:
    verdict = correlate(tiny(), set(), down_links={"link:5"})
    (cause,) = verdict.root_causes
    assert cause.kind == "access_down"
    assert cause.impact.isolated == frozenset()
    assert cause.impact.degraded == {"establishment:2"}


def test_every_canary_down_means_the_collector_is_cut_off() -> None:
    net = tiny()
    everything = {"device:10", "device:20", "device:30", "device:101", "device:102", "device:103"}
    verdict = correlate(net, everything, canaries={"device:10", "device:20"})
    assert verdict.collector_isolated
    assert verdict.root_causes == ()
    # One canary answering: the other PoP's failure is real.
    partial = correlate(net, {"device:20", "device:103"}, canaries={"device:10", "device:20"})
    assert [(c.kind, c.name) for c in partial.root_causes] == [("pop_down", "B")]
    assert partial.root_causes[0].shadowed == {"device:103"}
