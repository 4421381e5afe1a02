"""Alerting figures: root-cause correlation of one poll cycle on the reference network."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.figures import Figure


def worst_pop_failure(net: Any) -> tuple[Any, Any, set[str]]:
    """The PoP with the most sites behind it fails: its devices and every CPE it isolates stop
    answering in the same cycle. (the PoP element, its impact, the device nodes down)"""
    from topology.analysis import reachable_infra
    from topology.graph import node_kind
    from topology.reports import element_impact, pop_element

    pops = [n for n, d in net.graph.nodes(data=True) if d.get("kind") == "pop"]

    def sites_behind(pop: str) -> int:
        routers = [d for d in net.graph.adj[pop] if node_kind(d) == "device"]
        return sum(len(net.links_at.get(r, [])) for r in routers)

    worst = max(pops, key=sites_behind)
    element = pop_element(net, int(worst.split(":")[1]))
    cut = element_impact(net, element)
    unreachable = reachable_infra(net) - reachable_infra(net, element.nodes)
    down = {n for n in unreachable if node_kind(n) == "device"} | {
        link.cpe for site in cut.isolated for link in net.access[site]
    }
    return element, cut, down


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from alerting.correlation import correlate
        from topology.analysis import Network
        from topology.loader import load_graph

        net = Network(load_graph())
        _, cut, down = worst_pop_failure(net)
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            verdict = correlate(net, down)
            times.append(time.perf_counter() - t0)
        assert len(verdict.root_causes) == 1, verdict.root_causes
    return [
        Figure("alerting_pop_failure_sites_behind", len(cut.isolated), "establishments"),
        Figure("alerting_root_causes_for_pop_failure", len(verdict.root_causes), "incidents"),
        Figure("alerting_correlation_one_cycle_median", statistics.median(times), "s"),
    ]
