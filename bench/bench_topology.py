"""Topology figures on the reference network: every single-element failure's impact."""

from __future__ import annotations

import time

from bench.figures import Figure


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from topology.analysis import Network, all_single_failures, impact
        from topology.loader import load_graph

        t0 = time.perf_counter()
        g = load_graph()
        load_s = time.perf_counter() - t0
        net = Network(g)
        t0 = time.perf_counter()
        single = all_single_failures(net)
        fast_s = time.perf_counter() - t0
        # Reference, measured in the same run: one traversal per element, on a sample of the
        # elements, extrapolated to all of them.
        sample = sorted(single)[:: max(1, len(single) // 200)]
        t0 = time.perf_counter()
        for element in sample:
            if element.startswith("link:"):
                impact(net, failed_edges=[element])
            else:
                impact(net, failed_nodes=[element])
        brute_s = (time.perf_counter() - t0) * len(single) / len(sample)
    return [
        Figure("topology_graph_load", load_s, "s"),
        Figure("topology_elements", len(single), "elements"),
        Figure("topology_all_single_failures", fast_s, "s", brute_s, "one traversal per element"),
    ]
