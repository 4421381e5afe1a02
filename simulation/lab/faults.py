"""Fault names and targets: which devices and which link ends a `menhir lab inject` touches.

TARGET is a device name, an establishment code, or `pop:<name>` for a PoP and everything behind
it: its devices, its secondary PoPs' devices, and every device with a link ending in them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from simulation.lab.model import LabNetwork

DEVICE_FAULTS = (
    "silent",
    "agent-silent",
    "reboot",
    "counter32",
    "slow",
    "garbage",
    "latency",
    "loss",
)
LINK_FAULTS = ("iface-down", "saturate")
FAULTS = DEVICE_FAULTS + LINK_FAULTS
DEFAULT_SLOW_S = 5.0  # beyond the profiles' usual 2 s timeout


class UnknownFault(ValueError):
    pass


class UnknownTarget(LookupError):
    pass


def check_fault(fault: str) -> str:
    if fault not in FAULTS:
        raise UnknownFault(f"unknown fault {fault!r}: expected one of {', '.join(FAULTS)}")
    return fault


@dataclass(frozen=True, slots=True)
class Selection:
    """The devices a target names, and both ends (device, ifIndex) of every link they touch."""

    devices: frozenset[str]
    ports: frozenset[tuple[str, int]]


class Targets:
    """Resolves targets against one network; built once, asked many times."""

    def __init__(self, network: LabNetwork) -> None:
        self.devices = {d.name: d for d in network.devices}
        self.by_establishment: dict[str, set[str]] = defaultdict(set)
        self.by_pop: dict[str, set[str]] = defaultdict(set)
        for device in network.devices:
            if device.establishment_code:
                self.by_establishment[device.establishment_code].add(device.name)
            if device.pop_name:
                self.by_pop[device.pop_name].add(device.name)
        self.pops = {p.name: p for p in network.pops}
        self.pop_aliases = {p.slug.lower(): p.name for p in network.pops}
        self.pop_aliases.update({p.name.lower(): p.name for p in network.pops})
        self.children: dict[str, list[str]] = defaultdict(list)
        for pop in network.pops:
            if pop.parent:
                self.children[pop.parent].append(pop.name)
        self.links_of: dict[str, list[tuple[str, int | None, str, int | None]]] = defaultdict(list)
        for link in network.links:
            ends = (link.a_device, link.a_if_index, link.z_device, link.z_if_index)
            for name in (link.a_device, link.z_device):
                if name:
                    self.links_of[name].append(ends)

    def resolve(self, target: str) -> Selection:
        target = target.strip()
        if target.lower().startswith("pop:"):
            devices = self._behind_pop(target[4:].strip())
        elif target in self.devices:
            devices = {target}
        elif target in self.by_establishment:
            devices = set(self.by_establishment[target])
        else:
            raise UnknownTarget(
                f"unknown target {target!r}: expected a device name, an establishment code "
                "or pop:<name>"
            )
        ports: set[tuple[str, int]] = set()
        for name in devices:
            for a_dev, a_idx, z_dev, z_idx in self.links_of[name]:
                if a_dev and a_idx is not None:
                    ports.add((a_dev, a_idx))
                if z_dev and z_idx is not None:
                    ports.add((z_dev, z_idx))
        return Selection(frozenset(devices), frozenset(ports))

    def _behind_pop(self, name: str) -> set[str]:
        canonical = self.pop_aliases.get(name.lower())
        if canonical is None:
            raise UnknownTarget(f"unknown PoP {name!r}")
        pops, todo = set(), [canonical]
        while todo:
            pop = todo.pop()
            if pop not in pops:
                pops.add(pop)
                todo.extend(self.children[pop])
        inside: set[str] = set()
        for pop in pops:
            inside |= self.by_pop[pop]
        behind = set(inside)
        for name_in in inside:
            for a_dev, _, z_dev, _ in self.links_of[name_in]:
                for other in (a_dev, z_dev):
                    device = self.devices.get(other)
                    if device is None or other in behind:
                        continue
                    if device.pop_name and device.pop_name not in pops:
                        continue
                    # A site is behind the PoP only when every one of its links ends there: a
                    # dual-homed site with its other link elsewhere keeps answering.
                    ends = {d for a, _, z, _ in self.links_of[other] for d in (a, z) if d != other}
                    if ends <= inside:
                        behind.add(other)
        return behind
