"""How often the alerting observes each element, when some device roles are polled less often
than every cycle (`poller.schedule`).

An element is observed at the pace of the fastest device reporting on it: a device at its role's;
a PoP at its fastest router's; a link at its faster end's; a site at its fastest CPE's (a site's
reachability is its CPEs'). Its detector counts *its* polls, so `n_down` bad polls of a CPE polled
every 5 minutes open an incident after 5 × `n_down` minutes, as the contract's slot says
(docs/sla.md R3: a slot is one poll of the subscription), and the cycles between two of its polls
neither confirm nor break a streak.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from poller.schedule import PollSchedule
from topology.analysis import Network
from topology.graph import node_kind


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


def reporters(net: Network) -> dict[str, frozenset[str]]:
    """Each element the alerting watches and the devices whose polls report on it: a device
    itself, a PoP its devices, a link its two ends, a site its CPEs."""
    g = net.graph
    found: dict[str, frozenset[str]] = {}
    for node, data in g.nodes(data=True):
        kind = data.get("kind")
        if kind == "device":
            found[node] = frozenset({node})
        elif kind == "pop":
            found[node] = frozenset(n for n in g.adj[node] if node_kind(n) == "device")
    for _u, _v, key, data in g.edges(keys=True, data=True):
        if str(key).startswith("link:"):
            found[key] = frozenset(e for e in (data.get("a_end"), data.get("z_end")) if e in g)
    for site, links in net.access.items():
        found[site] = frozenset(link.cpe for link in links)
    return {element: devices for element, devices in found.items() if devices}


def cadence_of(
    net: Network, schedule: PollSchedule, by_element: dict[str, frozenset[str]] | None = None
) -> Cadence:
    """Every element's interval on `net` under `schedule` (none listed when it is uniform):
    its fastest reporting device's (`by_element`: `reporters(net)`)."""
    if schedule.uniform:
        return Cadence(schedule.cycle)
    roles = net.graph.nodes
    every = {
        element: min(schedule.interval(str(roles[d].get("role", ""))) for d in devices)
        for element, devices in (by_element or reporters(net)).items()
    }
    return Cadence(schedule.cycle, {k: v for k, v in every.items() if v != schedule.cycle})
