"""From one poll cycle's samples to the alerting engine: what is down, the canaries, the verdict.

The poll cycle (poller) hands over its DeviceSamples and InterfaceSamples; this module turns them
into graph keys, correlates them on the topology and feeds the engine one slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from alerting.cadence import Cadence, cadence_of, reporters
from alerting.conditions import ConditionParams, LinkPorts, read_conditions
from alerting.correlation import RootCause, Verdict, correlate
from alerting.detector import DetectorParams
from alerting.engine import CycleReport, process_cycle
from alerting.probe_readings import slot_probes
from alerting.quality import KPIS, KpiTargets, answering, read_quality
from metrics.types import DeviceSample, InterfaceSample, LinkProbe
from metrics.verdict import LinkState, interface_verdict
from poller.schedule import PollSchedule
from topology.analysis import Impact, Network
from topology.graph import CORE, device_node, link_key
from topology.loader import load_graph


@dataclass
class LiveContext:
    """What the detection needs between cycles: the graph, interface → link, the canaries, and
    how often each element is polled."""

    net: Network
    link_of_interface: dict[int, str]
    canaries: frozenset[str]
    ports: tuple[LinkPorts, ...] = ()
    device_of_interface: dict[int, int] = field(default_factory=dict)
    schedule: PollSchedule = field(default_factory=PollSchedule)
    cadence: Cadence = field(default_factory=lambda: Cadence(60))
    reporters: dict[str, frozenset[str]] = field(default_factory=dict)
    kpi_targets: tuple[KpiTargets, ...] = ()

    @classmethod
    def load(
        cls, extra_canaries: Iterable[str] = (), schedule: PollSchedule | None = None
    ) -> LiveContext:
        from django.db.models import Q

        from inventory.models import Device, Link

        net = Network(load_graph())
        mapping: dict[int, str] = {}
        owner: dict[int, int] = {}
        ports = []
        targets = []
        for link_id, a, z, down, up, a_dev, z_dev, alert_pct, *kpis in Link.objects.filter(
            Q(a_interface__isnull=False) | Q(z_interface__isnull=False), status="active"
        ).values_list(
            "id",
            "a_interface_id",
            "z_interface_id",
            "committed_down_bps",
            "committed_up_bps",
            "a_interface__device_id",
            "z_interface__device_id",
            "service_class__saturation_alert_pct",
            "service_class__kpi_rtt_ms",
            "service_class__kpi_loss_pct",
            "service_class__kpi_jitter_ms",
        ):
            for iface, dev in ((a, a_dev), (z, z_dev)):
                if iface is not None:
                    mapping[iface] = link_key(link_id)
                    owner[iface] = dev
            threshold = float(alert_pct) if alert_pct is not None else None
            ports.append(LinkPorts(link_key(link_id), a, z, down, up, threshold))
            if any(k is not None for k in kpis):
                values = (float(k) if k is not None else None for k in kpis)
                targets.append(KpiTargets(link_key(link_id), *values))
        # Canaries: every router attached to the backbone core, plus a configurable list.
        canaries = set(net.infra.adj[CORE]) if CORE in net.infra else set()
        names = list(extra_canaries)
        if names:
            canaries |= {
                device_node(pk)
                for pk in Device.objects.filter(name__in=names).values_list("pk", flat=True)
            }
        schedule = schedule or PollSchedule.from_settings()
        by_element = reporters(net)
        return cls(
            net,
            mapping,
            frozenset(canaries),
            tuple(ports),
            owner,
            schedule,
            cadence_of(net, schedule, by_element),
            by_element,
            tuple(targets),
        )

    def unobserved(self, device_ids: Iterable[int]) -> frozenset[str]:
        """The elements none of whose reporting devices was polled (their shard was lost): a
        device, a PoP all of whose devices, a link both of whose ends, a site all of whose CPEs."""
        missing = {device_node(d) for d in device_ids}
        if not missing:
            return frozenset()
        return frozenset(e for e, devices in self.reporters.items() if devices <= missing)

    def unknown_links(self, down: DownSet) -> frozenset[str]:
        """The links whose verdict this cycle was UNKNOWN: not observed, neither up nor down."""
        return frozenset(
            self.link_of_interface[i] for i in down.unknown if i in self.link_of_interface
        )

    def role_of(self, device_id: int | None) -> str:
        node = device_node(device_id) if device_id is not None else ""
        return str(self.net.graph.nodes[node].get("role", "")) if node in self.net.graph else ""

    def held(self, slot_start: datetime, recall: Callable[[int], DownSet | None]) -> DownSet:
        """What the roles not polled this cycle were seen down at their last poll: that cycle's
        down set (`recall(epoch)`, None when unknown), kept to the role's own devices."""
        held = DownSet()
        for role in self.schedule.idle_roles(slot_start):
            seen = recall(self.schedule.last_due(role, slot_start))
            if seen is None:
                continue
            held |= DownSet(
                frozenset(d for d in seen.devices if self.role_of(d) == role),
                self._of_role(seen.interfaces, role),
                self._of_role(seen.unknown, role),
            )
        return held

    def _of_role(self, interfaces: frozenset[int], role: str) -> frozenset[int]:
        return frozenset(
            i for i in interfaces if self.role_of(self.device_of_interface.get(i)) == role
        )


@dataclass(frozen=True)
class DownSet:
    """What a cycle saw: unreachable device ids, the interface ids whose verdict is DOWN, and
    those whose verdict is UNKNOWN on a device that answered (admin-down: the syndicate shut
    it), by the one rule of `metrics.verdict`; once the probes are read (`probed`), the
    devices whose SNMP agent was silent while they answered probes (`agents_silent`: a
    monitoring fault, UNKNOWN, no longer among the unreachable `devices`).

    Small and plain, so the shards of a distributed cycle can record theirs and the slot's
    detection can run once on their union."""

    devices: frozenset[int] = frozenset()
    interfaces: frozenset[int] = frozenset()
    unknown: frozenset[int] = frozenset()
    agents_silent: frozenset[int] = frozenset()

    @classmethod
    def of(cls, devices: Iterable[DeviceSample], interfaces: Iterable[InterfaceSample]) -> DownSet:
        reachable = {d.device_id: d.reachable for d in devices}
        # an interface sample is a poll its device answered, unless that device is listed down
        verdicts = [
            (s.interface_id, interface_verdict(s.admin_up, s.oper_status))
            for s in interfaces
            if reachable.get(s.device_id, True)
        ]
        return cls(
            frozenset(d for d, up in reachable.items() if not up),
            frozenset(i for i, v in verdicts if v is LinkState.DOWN),
            frozenset(i for i, v in verdicts if v is LinkState.UNKNOWN),
        )

    def __or__(self, other: DownSet) -> DownSet:
        return DownSet(
            self.devices | other.devices,
            self.interfaces | other.interfaces,
            self.unknown | other.unknown,
            self.agents_silent | other.agents_silent,
        )

    def probed(self, answering: frozenset[int]) -> DownSet:
        """The second signal: an unreachable device that answered probes is up, its agent sick."""
        sick = self.devices & answering
        return DownSet(
            self.devices - sick, self.interfaces, self.unknown, self.agents_silent | sick
        )


def verdict_of(
    ctx: LiveContext, devices: Iterable[DeviceSample], interfaces: Iterable[InterfaceSample]
) -> Verdict:
    """Unreachable devices and links whose interface's verdict is DOWN."""
    return verdict_of_down(ctx, DownSet.of(devices, interfaces))


def verdict_of_down(ctx: LiveContext, down: DownSet) -> Verdict:
    down_devices = {device_node(d) for d in down.devices}
    down_links = {ctx.link_of_interface[i] for i in down.interfaces if i in ctx.link_of_interface}
    return correlate(ctx.net, down_devices, down_links, canaries=ctx.canaries)


def detect_slot(
    ctx: LiveContext,
    down: DownSet,
    slot_start: datetime,
    slot_end: datetime,
    params: DetectorParams,
    unobserved: frozenset[str] = frozenset(),
    probes: list[LinkProbe] | None = None,
) -> tuple[Verdict, CycleReport]:
    """One slot of detection, correlation and paging: the same for `menhir poll` and Celery.

    The prober's latest slot (`probes`; default: read from the metrics store) is the second
    signal: a device silent to SNMP that answered probes is not down but unobserved (its
    elements get no slot), and a monitoring fault of its own (`mon:` family) for the syndicate.
    """
    if probes is None:
        probes = slot_probes(slot_start, slot_end)
    down = down.probed(answering(probes))
    verdict = verdict_of_down(ctx, down)
    blind = unobserved | ctx.unobserved(down.agents_silent)
    report = process_cycle(
        ctx.net, verdict, slot_start, slot_end, params, unobserved=blind, cadence=ctx.cadence
    )
    faults = tuple(_monitoring_fault(ctx.net, d) for d in sorted(down.agents_silent))
    silent = frozenset(device_node(d) for d in down.devices)
    monitoring = process_cycle(
        ctx.net,
        Verdict(verdict.collector_isolated, faults),
        slot_start,
        slot_end,
        params,
        family="mon:",
        unknown=silent,
        unobserved=unobserved,
        cadence=ctx.cadence,
    )
    return verdict, _merge(report, monitoring)


def _merge(total: CycleReport, report: CycleReport) -> CycleReport:
    total.opened += report.opened
    total.closed += report.closed
    total.reopened += report.reopened
    total.micro_outages += report.micro_outages
    total.pages_sent += report.pages_sent
    return total


def _monitoring_fault(net: Network, device_id: int) -> RootCause:
    """A device up (it answers probes) whose SNMP agent is silent: the syndicate's concern,
    cutting nobody off, never the link operator's (no operator: no page to it)."""
    node = device_node(device_id)
    name = str(net.graph.nodes[node].get("name", node)) if node in net.graph else node
    return RootCause("monitoring_fault", node, name, None, Impact())


@dataclass(frozen=True)
class ConditionRules:
    """Thresholds, and how many minutes they must hold or clear (turned into polls of each
    element's own interval)."""

    thresholds: ConditionParams
    saturation_minutes: int
    error_minutes: int
    clear_minutes: int
    quality_minutes: int = 15

    @classmethod
    def from_settings(cls) -> ConditionRules:
        from django.conf import settings

        return cls(
            ConditionParams(
                settings.MENHIR_SATURATION_PCT,
                settings.MENHIR_ERROR_RATE_PER_MIN,
                settings.MENHIR_ERROR_RATIO,
            ),
            settings.MENHIR_SATURATION_MINUTES,
            settings.MENHIR_ERROR_RATE_MINUTES,
            settings.MENHIR_CONDITION_CLEAR_MINUTES,
            settings.MENHIR_QUALITY_MINUTES,
        )

    def _held_for(
        self, minutes: int, slot_seconds: int, clear: int | None = None
    ) -> DetectorParams:
        def polls(m: int) -> int:
            return max(1, -(-m * 60 // slot_seconds))  # ceil: N minutes at least

        return DetectorParams(slot_seconds, polls(minutes), polls(clear or self.clear_minutes))

    def saturation(self, slot_seconds: int) -> DetectorParams:
        return self._held_for(self.saturation_minutes, slot_seconds)

    def errors(self, slot_seconds: int) -> DetectorParams:
        return self._held_for(self.error_minutes, slot_seconds)

    def quality(self, slot_seconds: int) -> DetectorParams:
        """Over a target for `quality_minutes`, and back under it for as long, to close."""
        return self._held_for(self.quality_minutes, slot_seconds, self.quality_minutes)


#: The quality families: element key prefix per KPI (docs/alerting.md, "Quality").
QUALITY_PREFIXES = {"latency": "rtt:", "loss": "loss:", "jitter": "jit:"}


def detect_conditions(
    ctx: LiveContext,
    verdict: Verdict,
    interfaces: list[InterfaceSample],
    slot_start: datetime,
    slot_end: datetime,
    rules: ConditionRules,
    unobserved: frozenset[str] = frozenset(),
    probes: list[LinkProbe] | None = None,
) -> CycleReport:
    """Saturation, error-rate and quality (latency, loss, jitter over the class's R15 targets,
    from the prober's latest slot: `probes`, default read from the metrics store) incidents,
    through the same detector, engine and paging as outages. A link that is down this cycle
    says nothing about its load or its quality (UNKNOWN)."""
    reading = read_conditions(ctx.ports, interfaces, rules.thresholds)
    cut_off = {site for cause in verdict.root_causes for site in cause.impact.isolated}
    down = {cause.element for cause in verdict.root_causes} | {
        link.key for site in cut_off for link in ctx.net.access.get(site, [])
    }
    total = CycleReport(unknown=verdict.collector_isolated)
    # (key prefix, kind, over, unknown, params, polled): polled families follow the links' poll
    # cadence and unobserved shards; the quality ones are probed every slot (neither applies).
    families = [
        ("sat:", "saturation", reading.saturated, reading.unknown_rate, rules.saturation, True),
        ("err:", "error_rate", reading.erroring, reading.unknown_errors, rules.errors, True),
    ]
    if ctx.kpi_targets:
        if probes is None:
            probes = slot_probes(slot_start, slot_end)
        quality = read_quality(ctx.kpi_targets, probes)
        families += [
            (
                QUALITY_PREFIXES[kpi],
                kpi,
                quality.over[kpi],
                quality.unknown[kpi],
                rules.quality,
                False,
            )
            for kpi in KPIS
        ]
    for prefix, kind, over, unknown, params, polled in families:
        causes = tuple(
            _cause(ctx.net, kind, key, value)
            for key, value in sorted(over.items())
            if key not in down
        )
        report = process_cycle(
            ctx.net,
            Verdict(verdict.collector_isolated, causes),
            slot_start,
            slot_end,
            params,
            family=prefix,
            unknown=frozenset(unknown | down),
            unobserved=unobserved if polled else frozenset(),
            cadence=ctx.cadence if polled else None,
        )
        _merge(total, report)
    return total


UNITS = {
    "saturation": "%",
    "error_rate": "errors/min",
    "latency": "ms",
    "loss": "%",
    "jitter": "ms",
}


def _cause(net: Network, kind: str, key: str, value: float) -> RootCause:
    """An access link's condition degrades its site; a backbone link's concerns the syndicate."""
    for site, links in net.access.items():
        for link in links:
            if link.key == key:
                name = str(net.graph.nodes[site].get("name", site))
                label = f"{name} ({value:.{1 if kind == 'jitter' else 0}f} {UNITS[kind]})"
                return RootCause(
                    kind, key, label, link.operator or None, Impact(degraded=frozenset({site}))
                )
    return RootCause(kind, key, key, None, Impact())
