"""From one poll cycle's samples to the alerting engine: what is down, the canaries, the verdict.

The poll cycle (poller) hands over its DeviceSamples and InterfaceSamples; this module turns them
into graph keys, correlates them on the topology and feeds the engine one slot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from alerting.correlation import Verdict, correlate
from alerting.detector import DetectorParams
from alerting.engine import CycleReport, process_cycle
from metrics.types import DeviceSample, InterfaceSample, OperStatus
from topology.analysis import Network
from topology.loader import load_graph
from topology.model import CORE, device_node, link_key


@dataclass
class LiveContext:
    """What the detection needs between cycles: the graph, interface → link, the canaries."""

    net: Network
    link_of_interface: dict[int, str]
    canaries: frozenset[str]

    @classmethod
    def load(cls, extra_canaries: Iterable[str] = ()) -> LiveContext:
        from django.db.models import Q

        from inventory.models import Device, Link

        net = Network(load_graph())
        mapping: dict[int, str] = {}
        for link_id, a, z in Link.objects.filter(
            Q(a_interface__isnull=False) | Q(z_interface__isnull=False), status="active"
        ).values_list("id", "a_interface_id", "z_interface_id"):
            for iface in (a, z):
                if iface is not None:
                    mapping[iface] = link_key(link_id)
        # Canaries: every router attached to the backbone core, plus a configurable list.
        canaries = set(net.infra.adj[CORE]) if CORE in net.infra else set()
        names = list(extra_canaries)
        if names:
            canaries |= {
                device_node(pk)
                for pk in Device.objects.filter(name__in=names).values_list("pk", flat=True)
            }
        return cls(net, mapping, frozenset(canaries))


@dataclass(frozen=True)
class DownSet:
    """What a cycle saw down: unreachable device ids, and interface ids oper-down while admin-up.

    Small and plain, so the shards of a distributed cycle can record theirs and the slot's
    detection can run once on their union."""

    devices: frozenset[int] = frozenset()
    interfaces: frozenset[int] = frozenset()

    @classmethod
    def of(cls, devices: Iterable[DeviceSample], interfaces: Iterable[InterfaceSample]) -> DownSet:
        return cls(
            frozenset(d.device_id for d in devices if not d.reachable),
            frozenset(
                s.interface_id
                for s in interfaces
                if s.oper_status == OperStatus.DOWN and s.admin_up is not False
            ),
        )

    def __or__(self, other: DownSet) -> DownSet:
        return DownSet(self.devices | other.devices, self.interfaces | other.interfaces)


def verdict_of(
    ctx: LiveContext, devices: Iterable[DeviceSample], interfaces: Iterable[InterfaceSample]
) -> Verdict:
    """Unreachable devices and links whose interface is oper-down while admin-up."""
    return verdict_of_down(ctx, DownSet.of(devices, interfaces))


def verdict_of_down(ctx: LiveContext, down: DownSet) -> Verdict:
    down_devices = {device_node(d) for d in down.devices}
    down_links = {ctx.link_of_interface[i] for i in down.interfaces if i in ctx.link_of_interface}
    return correlate(ctx.net, down_devices, down_links, canaries=ctx.canaries)


def detect(
    ctx: LiveContext,
    down: DownSet,
    slot_start: datetime,
    slot_end: datetime,
    params: DetectorParams,
) -> tuple[Verdict, CycleReport]:
    """One slot of detection, correlation and paging: the same for `menhir poll` and Celery."""
    verdict = verdict_of_down(ctx, down)
    return verdict, process_cycle(ctx.net, verdict, slot_start, slot_end, params)
