"""How often the alerting observes each element, when some device roles are polled less often
than every cycle (`poller.schedule`).

An element is observed at the pace of the fastest device reporting on it: a device at its role's;
a PoP at its fastest router's; a link at its faster end's; a site at its fastest CPE's (a site's
reachability is its CPEs'). Its detector counts *its* polls, so `n_down` bad polls of a CPE polled
every 5 minutes open an incident after 5 × `n_down` minutes, as the contract's slot says
(SLA.md R3: a slot is one poll of the subscription), and the cycles between two of its polls
neither confirm nor break a streak.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from poller.schedule import PollSchedule
from topology.analysis import Network
from topology.model import node_kind


@dataclass(frozen=True)
class Cadence:
    """Each element's observation interval, where it is longer than the cycle."""

    cycle: int
    intervals: Mapping[str, int] = field(default_factory=dict)

    def interval(self, key: str) -> int:
        return self.intervals.get(key, self.cycle)

    def due(self, key: str, slot_start: int) -> bool:
        """Whether the cycle starting at `slot_start` (epoch seconds) observes `key`."""
        return slot_start % self.interval(key) == 0


def cadence_of(net: Network, schedule: PollSchedule) -> Cadence:
    """Every element's interval on `net` under `schedule` (none listed when it is uniform)."""
    if schedule.uniform:
        return Cadence(schedule.cycle)
    g = net.graph
    every: dict[str, int] = {}

    def device(node: str) -> int:
        return schedule.interval(str(g.nodes[node].get("role", "")))

    for node, data in g.nodes(data=True):
        kind = data.get("kind")
        if kind == "device":
            every[node] = device(node)
        elif kind == "pop":
            members = [n for n in g.adj[node] if node_kind(n) == "device"]
            every[node] = min((device(n) for n in members), default=schedule.cycle)
    for _u, _v, key, data in g.edges(keys=True, data=True):
        if str(key).startswith("link:"):
            ends = [e for e in (data.get("a_end"), data.get("z_end")) if e in g]
            every[key] = min((device(e) for e in ends), default=schedule.cycle)
    for site, links in net.access.items():
        every[site] = min((device(link.cpe) for link in links), default=schedule.cycle)
    return Cadence(schedule.cycle, {k: v for k, v in every.items() if v != schedule.cycle})
