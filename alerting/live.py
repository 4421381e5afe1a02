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


def verdict_of(
    ctx: LiveContext, devices: Iterable[DeviceSample], interfaces: Iterable[InterfaceSample]
) -> Verdict:
    """Unreachable devices and links whose interface is oper-down while admin-up."""
    down_devices = {device_node(d.device_id) for d in devices if not d.reachable}
    down_links = {
        ctx.link_of_interface[s.interface_id]
        for s in interfaces
        if s.oper_status == OperStatus.DOWN and s.admin_up is not False
        and s.interface_id in ctx.link_of_interface
    }  # fmt: skip
    return correlate(ctx.net, down_devices, down_links, canaries=ctx.canaries)


def detect(
    ctx: LiveContext,
    devices: list[DeviceSample],
    interfaces: list[InterfaceSample],
    slot_start: datetime,
    slot_end: datetime,
    params: DetectorParams,
) -> tuple[Verdict, CycleReport]:
    verdict = verdict_of(ctx, devices, interfaces)
    return verdict, process_cycle(ctx.net, verdict, slot_start, slot_end, params)
