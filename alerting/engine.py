"""One poll cycle → incidents: the detector per root-cause element, incidents opened (backdated),
updated, closed, flapping held in one incident, maintenance respected, pages sent once.

Each cycle is one slot (docs/sla.md R3/R4). An element is DOWN in a slot when the correlation
names it a root cause, UNKNOWN when the collector itself was cut off (every canary down) or
when cycles were missed, UP otherwise. The detector's state per element lives in
`ElementState`, so a restart resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from alerting.cadence import Cadence
from alerting.correlation import RootCause, Verdict
from alerting.detector import (
    DetectorParams,
    DetectorState,
    MicroOutageEvent,
    Opened,
    Outage,
    OutageDetector,
    Run,
    SlotState,
)
from alerting.models import (
    ElementState,
    ImpactState,
    Incident,
    IncidentEvent,
    IncidentImpact,
    IncidentKind,
    MaintenanceWindow,
    MicroOutage,
    NotificationKind,
    Severity,
)
from alerting.paging import escalate, notify, retry_failed, routes_for
from alerting.severity import severity_of
from common.times import from_seconds, to_seconds
from topology.analysis import Network
from topology.graph import node_id, node_kind
from topology.reports import breakdown


@dataclass
class CycleReport:
    unknown: bool = False
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    micro_outages: int = 0
    pages_sent: int = 0


def incident_key(cause: RootCause) -> str:
    """The detector's element: the PoP, device or backbone link; for access, the site."""
    return cause.site if cause.kind == "access_down" and cause.site else cause.element


# Conditions other than outages run their own detectors, on element keys of their own.
FAMILIES = ("sat:", "err:", "mon:", "rtt:", "loss:", "jit:")


def _family(prefix: str) -> Q:
    """The detector states of one family: outages (no prefix) or one condition's."""
    if prefix:
        return Q(element_key__startswith=prefix)
    others = Q()
    for other in FAMILIES:
        others |= Q(element_key__startswith=other)
    return ~others


def process_cycle(
    net: Network,
    verdict: Verdict,
    slot_start: datetime,
    slot_end: datetime,
    params: DetectorParams | Callable[..., DetectorParams],
    *,
    family: str = "",
    unknown: frozenset[str] = frozenset(),
    unobserved: frozenset[str] = frozenset(),
    cadence: Cadence | None = None,
) -> CycleReport:
    """Feed one slot to every element's detector and act on what it decides.

    `family` prefixes the element keys of a condition other than outages (`sat:`, `err:`), so
    its detectors never meet the outage ones; `unknown` elements (no data this cycle) get an
    UNKNOWN slot rather than an UP one. `params` is the detector's for the cycle, or a function
    of an element's poll interval. With a `cadence`, an element polled less often than every
    cycle is fed only in the cycles that poll it, one slot as long as its interval;
    `unobserved` elements (their devices' shard never came back) are not fed at all, so the slot
    they missed is UNKNOWN when they are observed again.

    An outage that ends because its element went UNKNOWN (no data: a lost collector, missed
    cycles) ends at its last bad poll, as docs/sla.md R3 says, but nobody is told it recovered: it
    was not seen recovering, and if it is still down it reopens as the same incident.
    """
    report = CycleReport(unknown=verdict.collector_isolated)
    causes = {family + incident_key(c): c for c in verdict.root_causes}
    start = to_seconds(slot_start)
    cycle = to_seconds(slot_end) - start
    cadence = cadence or Cadence(cycle)
    params_at = params if callable(params) else partial(replace, params)
    with transaction.atomic():
        states = {
            s.element_key: s
            for s in ElementState.objects.select_for_update().filter(
                Q(element_key__in=list(causes)) | (Q(detector__has_key="active") & _family(family))
            )
        }
        for key in sorted(set(causes) | set(states)):
            element = key[len(family) :]
            if not cadence.due(element, start) or (key not in causes and element in unobserved):
                continue  # not polled this cycle: its last poll's slot still runs
            interval = cadence.interval(element)
            end = start + interval
            state = states.get(key) or ElementState(element_key=key)
            if verdict.collector_isolated or (key not in causes and element in unknown):
                slot = SlotState.UNKNOWN
            else:
                slot = SlotState.DOWN if key in causes else SlotState.UP
            detector = OutageDetector(params_at(slot_seconds=interval), _load(state.detector))
            events: list[tuple[Any, bool]] = []  # (event, came from an UNKNOWN slot)
            cursor = detector.state.cursor
            if cursor is not None and cursor < start:
                missed = detector.feed(Run(cursor, start, SlotState.UNKNOWN))  # missed cycles
                events += [(event, True) for event in missed]
            if cursor is None or cursor <= start:
                fed = detector.feed(Run(start, end, slot))
                events += [(event, slot is SlotState.UNKNOWN) for event in fed]
            for event, blind in events:
                _apply(net, key, causes.get(key), event, state, slot_end, report, blind=blind)
            if key in causes and state.incident_id is not None:
                _refresh_impact(net, state.incident, causes[key])
            _save(state, detector)
    if not family:  # once per cycle, for every family's incidents
        report.pages_sent += escalate(slot_end) + retry_failed()
    return report


def _load(data: dict[str, Any]) -> DetectorState | None:
    fields = {k: v for k, v in data.items() if k != "active"}
    return DetectorState(**fields) if fields else None


def _save(state: ElementState, detector: OutageDetector) -> None:
    snapshot = detector.state
    busy = snapshot.open_start is not None or snapshot.streak_start is not None
    if not busy and state.incident_id is None:
        if state.pk:
            state.delete()  # idle: nothing to remember
        return
    data = dict(snapshot.__dict__)
    if busy:
        data["active"] = True
    state.detector = data
    state.save()


def _apply(
    net: Network,
    key: str,
    cause: RootCause | None,
    event: Any,
    state: ElementState,
    now: datetime,
    report: CycleReport,
    *,
    blind: bool = False,
) -> None:
    if isinstance(event, Opened):
        if cause is None:
            return
        incident = _open_or_reopen(net, key, cause, from_seconds(event.start), now, report)
        state.incident = incident
    elif isinstance(event, Outage):
        closing = state.incident
        if closing is not None and closing.end is None:
            incident = closing
            incident.end = from_seconds(event.end)
            incident.save(update_fields=["end"])
            if blind:
                kind = "unobserved"
                detail = (
                    f"no data since {incident.end:%H:%M:%S}: the outage ends at its last"
                    " bad poll (SLA R3); not announced as a recovery"
                )
            else:
                kind, detail = "recovered", f"back up; outage ended {incident.end:%H:%M:%S}"
            IncidentEvent.objects.create(incident=incident, time=now, kind=kind, detail=detail)
            report.closed.append(incident.pk)
            if not blind and not incident.in_maintenance and incident.notifications.exists():
                report.pages_sent += notify(
                    incident, NotificationKind.RECOVERY, routes_for(incident, 0)
                )
        state.incident = None
    elif isinstance(event, MicroOutageEvent):
        MicroOutage.objects.create(
            element_key=key, start=from_seconds(event.start), end=from_seconds(event.end)
        )
        report.micro_outages += 1


def _open_or_reopen(
    net: Network, key: str, cause: RootCause, start: datetime, now: datetime, report: CycleReport
) -> Incident:
    window = timedelta(minutes=settings.MENHIR_FLAP_WINDOW_MINUTES)
    recent = (
        Incident.objects.filter(element_key=key, end__gte=start - window).order_by("-end").first()
    )
    if recent is not None:
        # Flapping: the same element failing again soon after recovering stays one incident,
        # and nobody is paged twice. After a gap in the data (`unobserved`), it was never seen
        # recovering: the same incident goes on, and that is no flap.
        last = recent.events.filter(kind__in=("recovered", "unobserved")).order_by("-time", "-pk")
        blind = last.values_list("kind", flat=True).first() == "unobserved"
        recent.end = None
        recent.flapping = recent.flapping or not blind
        recent.reopen_count += 1
        recent.save(update_fields=["end", "flapping", "reopen_count"])
        kind, detail = (
            ("observed", f"seen down again at {start:%H:%M:%S} after the gap in the data")
            if blind
            else ("flapping", f"failed again at {start:%H:%M:%S}")
        )
        IncidentEvent.objects.create(incident=recent, time=now, kind=kind, detail=detail)
        report.reopened.append(recent.pk)
        return recent
    root_kind = node_kind(cause.element)
    operator_id = _operator_id(cause)
    incident = Incident.objects.create(
        kind=cause.kind,
        severity="minor",
        element_key=key,
        root_kind=root_kind,
        root_id=node_id(cause.element),
        root_name=cause.name,
        operator_id=operator_id,
        start=start,
        detected_at=now,
    )
    _refresh_impact(net, incident, cause)
    incident.in_maintenance = in_maintenance(incident, cause, now)
    incident.save(update_fields=["in_maintenance"])
    detail = f"{cause.kind} {cause.name}: {incident.impacted_count} cut off, "
    detail += f"{incident.degraded_count} degraded"
    if incident.in_maintenance:
        detail += " (in maintenance: not paged)"
    IncidentEvent.objects.create(incident=incident, time=now, kind="opened", detail=detail)
    report.opened.append(incident.pk)
    if not incident.in_maintenance:
        report.pages_sent += notify(incident, NotificationKind.PAGE, routes_for(incident, 0))
    return incident


def _operator_id(cause: RootCause) -> int | None:
    if cause.operator is None:
        return None
    from inventory.models import Operator

    return Operator.objects.filter(name=cause.operator).values_list("id", flat=True).first()


def _refresh_impact(net: Network, incident: Incident | None, cause: RootCause) -> None:
    """Record who is cut off and who is degraded; the figure may grow during the incident."""
    if incident is None:
        return
    g = net.graph
    isolated, degraded = cause.impact.isolated, cause.impact.degraded
    incident.impacted_count = len(isolated)
    incident.degraded_count = len(degraded)
    incident.impacted_by_category = breakdown(net, isolated, "category")
    incident.severity = (
        Severity.WARNING  # a monitoring fault cuts nobody off and degrades nobody
        if cause.kind == IncidentKind.MONITORING_FAULT
        else severity_of((str(g.nodes[s].get("criticality")) for s in isolated), len(degraded))
    )
    incident.save(
        update_fields=["impacted_count", "degraded_count", "impacted_by_category", "severity"]
    )
    # The syndicate's own element cuts the access links: not the link operator's downtime (R7).
    imputability = "third_party" if cause.operator is None else "operator"
    known = set(incident.impacts.values_list("establishment_id", flat=True))
    rows = []
    for sites, state in ((isolated, ImpactState.ISOLATED), (degraded, ImpactState.DEGRADED)):
        for site in sites:
            if node_id(site) not in known:
                rows.append(
                    IncidentImpact(
                        incident=incident,
                        establishment_id=node_id(site),
                        state=state,
                        imputability=imputability,
                    )
                )
    IncidentImpact.objects.bulk_create(rows)


def in_maintenance(incident: Incident, cause: RootCause, at: datetime) -> bool:
    """Whether a maintenance window covers the failed element at `at`."""
    windows = MaintenanceWindow.objects.filter(planned_start__lte=at, planned_end__gte=at)
    if not windows.exists():
        return False
    kind, ident = node_kind(cause.element), node_id(cause.element)
    match = Q(pk__in=[])
    if incident.operator_id is not None:
        match |= Q(operator_id=incident.operator_id, pops=None, devices=None, links=None)
    if kind == "pop":
        match |= Q(pops__id=ident)
    elif kind == "device":
        match |= Q(devices__id=ident)
    elif kind == "link":
        match |= Q(links__id=ident)
    if cause.shadowed:
        match |= Q(devices__id__in=[node_id(d) for d in cause.shadowed if node_kind(d) == "device"])
    return windows.filter(match).exists()
