"""A generated, seeded, plausible past month for the reference network (`menhir sla
generate-history`): what a few weeks of lab polling cannot give the demo — a month of
monitoring runs, tickets, maintenance and exclusion claims for every subscription.

The month is made of what a real one holds: outages per technology (fibre rarely, ADSL more,
long tails), flaps absorbed by the detector, micro-outages, two collector gaps (UNKNOWN for every
link, a few of them covered by tickets), a PoP outage of the syndicate's own (third party), planned
works (most notified in time, one late, one curative, one overrunning), tickets with late
acknowledgements, suspensions and reopenings, and claims pending, accepted and rejected.
Running it again for the same month and seed replaces what it generated before, identically.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from alerting.models import Incident, IncidentImpact, MaintenanceWindow, Ticket
from alerting.models.incidents import IncidentKind, Severity
from alerting.models.tickets import Decision, TicketReopening, TicketSuspension
from common.changes import change_context
from common.times import from_seconds, month_bounds, month_seconds
from inventory.models import Link
from sla.collect import record_window
from sla.models import ClaimDecision, CollectedWindow, ExclusionClaim, MonitoringRun

SOURCE = "generated"
PREFIX = "GEN"
SLOT = 60
# Expected outages per link-month, by technology (and the 4G backups' own rate).
OUTAGE_RATE = {"ftto": 0.2, "sdsl": 0.6, "adsl": 1.0, "4g": 0.8, "satellite": 0.8}
DEFAULT_RATE = 0.3
BACKBONE_RATE = 0.08
MICRO_RATE = 0.7


@dataclass
class Run:
    start: int  # slot index in the month
    slots: int
    state: str = "down"
    third_party: bool = False

    @property
    def end(self) -> int:
        return self.start + self.slots


@dataclass
class LinkMonth:
    link: Link
    runs: list[Run] = field(default_factory=list)
    outages: list[Run] = field(default_factory=list)  # the ones worth a ticket

    def add(self, run: Run) -> bool:
        """Add unless it overlaps (or touches) a run already there."""
        if run.start < 0 or run.slots <= 0:
            return False
        for other in self.runs:
            if run.start <= other.end and other.start <= run.end:
                return False
        self.runs.append(run)
        return True


@dataclass
class Summary:
    month: str
    links: int = 0
    runs: int = 0
    tickets: int = 0
    maintenance: int = 0
    claims: int = 0
    capacity_rows: int = 0
    incidents: int = 0

    def describe(self) -> str:
        return (
            f"{self.month}: {self.links} links, {self.runs} monitoring runs, "
            f"{self.incidents} incidents, {self.tickets} tickets, "
            f"{self.maintenance} maintenance windows, "
            f"{self.claims} exclusion claims, {self.capacity_rows} 5-minute traffic rollups"
        )


def _poisson(rng: random.Random, rate: float) -> int:
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Generator:
    def __init__(self, year: int, month: int, seed: int) -> None:
        self.rng = random.Random(seed * 1_000_003 + year * 100 + month)
        lo, hi = month_seconds(year, month, ZoneInfo("Europe/Paris"))
        self.start, self.slots = lo, (hi - lo) // SLOT
        self.tag = f"{PREFIX}-{year:04d}{month:02d}"
        self.year, self.month = year, month

    def at(self, slot: int) -> datetime:
        return from_seconds(self.start + slot * SLOT)

    def links(self) -> list[LinkMonth]:
        rows = (
            Link.objects.filter(contract__isnull=False, service_class__isnull=False)
            .select_related("z_interface__device", "a_interface")
            .order_by("pk")
        )
        return [LinkMonth(link) for link in rows]

    # --- global events --------------------------------------------------------------------
    def collector_gaps(self, months: list[LinkMonth]) -> list[tuple[int, int]]:
        gaps = []
        for _ in range(2):
            start = self.rng.randrange(2 * 1440, self.slots - 2 * 1440)
            gaps.append((start, self.rng.randint(15, 45)))
        for lm in months:
            for start, slots in gaps:
                lm.add(Run(start, slots, "unknown"))
        return gaps

    def pop_outage(self, months: list[LinkMonth]) -> None:
        """The syndicate's own PoP fails: the links behind it are down, imputed to a third
        party as far as their operators' contracts go (docs/sla.md R7)."""
        by_pop: dict[int, list[LinkMonth]] = defaultdict(list)
        for lm in months:
            iface = lm.link.z_interface
            if iface is not None and iface.device.pop_id:
                by_pop[iface.device.pop_id].append(lm)
        if not by_pop:
            return
        pop = self.rng.choice(sorted(by_pop))
        start, slots = self.rng.randrange(1440, self.slots - 1440), self.rng.randint(35, 70)
        for lm in by_pop[pop]:
            lm.add(Run(start, slots, "down", third_party=True))
        self.pop_event = (pop, Run(start, slots), by_pop[pop])

    def incidents(self, months: list[LinkMonth]) -> int:
        """Alerting's incidents for the month's outages (closed, detected after `n_down` polls):
        one per access outage, one for the PoP with its third-party impacts."""
        note = f"[{self.tag}] generated history"
        access = [
            Incident(
                kind=IncidentKind.ACCESS_DOWN,
                severity=Severity.MINOR,
                element_key=f"link:{lm.link.pk}",
                root_kind="link",
                root_id=lm.link.pk,
                root_name=lm.link.circuit_id,
                operator_id=lm.link.operator_id,
                start=self.at(outage.start),
                end=self.at(outage.end),
                detected_at=self.at(outage.start + 5),
                impacted_count=1,
                notes=note,
            )
            for lm in months
            for outage in lm.outages
        ]
        Incident.objects.bulk_create(access, batch_size=2000)
        made = len(access)
        event = getattr(self, "pop_event", None)
        if event is not None:
            pop, run, links = event
            sites = {lm.link.establishment_id for lm in links if lm.link.establishment_id}
            incident = Incident.objects.create(
                kind=IncidentKind.POP_DOWN,
                severity=Severity.MAJOR,
                element_key=f"pop:{pop}",
                root_kind="pop",
                root_id=pop,
                root_name=f"PoP {pop}",
                operator=None,
                start=self.at(run.start),
                end=self.at(run.end),
                detected_at=self.at(run.start + 5),
                impacted_count=len(sites),
                notes=note,
            )
            IncidentImpact.objects.bulk_create(
                IncidentImpact(
                    incident=incident,
                    establishment_id=site,
                    state="isolated",
                    imputability="third_party",
                )
                for site in sorted(sites)
            )
            made += 1
        return made

    # --- per link -------------------------------------------------------------------------
    def link_events(self, lm: LinkMonth) -> None:
        rate = OUTAGE_RATE.get(lm.link.technology, DEFAULT_RATE)
        if lm.link.role == "backbone":  # redundant optics, watched closely: rare
            rate = BACKBONE_RATE
        for _ in range(_poisson(self.rng, rate)):
            minutes = int(min(900, max(6, self.rng.lognormvariate(math.log(45), 0.9))))
            start = self.rng.randrange(0, self.slots - minutes - 20)
            if self.rng.random() < 0.1 and minutes > 20:  # a flap the detector absorbs
                first = minutes // 2
                ok = lm.add(Run(start, first)) and lm.add(
                    Run(start + first + 3, minutes - first - 3)
                )
            else:
                ok = lm.add(Run(start, minutes))
            if ok and minutes >= 15:
                lm.outages.append(Run(start, minutes))
        for _ in range(_poisson(self.rng, MICRO_RATE)):
            lm.add(Run(self.rng.randrange(0, self.slots - 5), self.rng.randint(1, 4)))

    # --- tickets ----------------------------------------------------------------------------
    def tickets(self, months: list[LinkMonth], gaps: list[tuple[int, int]]) -> list[Ticket]:
        out: list[Ticket] = []
        self._suspensions: list[TicketSuspension] = []
        self._reopenings: list[TicketReopening] = []
        for lm in months:
            for outage in lm.outages:
                if self.rng.random() < 0.9:
                    out.append(self._ticket(lm, outage, len(out)))
        # Collector gaps: some links had a real fault while nobody could see (R5 evidence).
        for start, slots in gaps:
            for lm in self.rng.sample(months, min(12, len(months))):
                fault = Run(start + self.rng.randint(0, slots // 2), slots)
                out.append(self._ticket(lm, fault, len(out)))
        return out

    def _ticket(self, lm: LinkMonth, outage: Run, n: int) -> Ticket:
        rng = self.rng
        opened = self.at(outage.start) + timedelta(minutes=rng.randint(3, 25))
        restored = self.at(outage.end) + timedelta(seconds=rng.randint(-90, 90))
        restored = max(restored, opened + timedelta(minutes=1))
        late_ack = rng.random() < 0.15
        ack = opened + timedelta(minutes=rng.randint(40, 180) if late_ack else rng.randint(3, 25))
        roll = rng.random()
        imputability = (
            "operator"
            if roll < 0.85
            else "unknown"
            if roll < 0.92
            else "client"
            if roll < 0.97
            else "third_party"
        )
        ticket = Ticket(
            operator_id=lm.link.operator_id,
            reference=f"{self.tag}-{n:05d}",
            link=lm.link,
            establishment_id=lm.link.establishment_id,
            opened_at=opened,
            acknowledged_at=min(ack, restored),
            restored_at=restored,
            closed_at=restored + timedelta(hours=1),
            cause=rng.choice(("fibre cut", "CPE power", "DSLAM card", "line fault", "unknown")),
            imputability=imputability,
        )
        if outage.slots > 240 and rng.random() < 0.3:
            mid = opened + timedelta(seconds=int((restored - opened).total_seconds()) // 2)
            self._suspensions.append(
                TicketSuspension(
                    ticket=ticket,
                    start=mid,
                    end=mid + timedelta(hours=1),
                    reason="site closed, no access",
                    decision=Decision.ACCEPTED,
                )
            )
        if rng.random() < 0.03:
            again = restored + timedelta(hours=rng.randint(2, 30))
            back = again + timedelta(minutes=rng.randint(30, 120))
            slot = int((again.timestamp() - self.start) // SLOT)
            if slot + 120 < self.slots and lm.add(
                Run(slot, int((back - again).total_seconds()) // SLOT)
            ):
                self._reopenings.append(TicketReopening(ticket=ticket, at=again, restored_at=back))
        return ticket

    # --- maintenance and claims -------------------------------------------------------------
    def maintenance(self, months: list[LinkMonth]) -> list[tuple[MaintenanceWindow, list[Link]]]:
        by_operator: dict[int, list[LinkMonth]] = defaultdict(list)
        for lm in months:
            by_operator[lm.link.operator_id].append(lm)
        windows = []
        for operator_id in sorted(by_operator):
            pool = by_operator[operator_id]
            for n, kind in enumerate(("ok", "ok", "ok", "late", "curative", "overrun")):
                day = self.rng.randrange(2, self.slots // 1440 - 2)
                start = day * 1440 + 60 * self.rng.randint(0, 2)  # local night, roughly
                planned = 120
                targets = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 25)))
                notice = timedelta(days=3 if kind == "late" else 14)
                window = MaintenanceWindow(
                    title=f"Planned works {n + 1}",
                    reference=f"{self.tag}-W{operator_id}-{n + 1}",
                    operator_id=operator_id,
                    planned_start=self.at(start),
                    planned_end=self.at(start + planned),
                    notified_at=self.at(start) - notice,
                    curative=kind == "curative",
                    description="generated history",
                )
                windows.append((window, [lm.link for lm in targets]))
                for lm in targets:
                    cut = self.rng.randint(20, 90)
                    offset = self.rng.randint(0, planned - cut)
                    if kind == "overrun":
                        offset, cut = planned - 30, 70  # 40 min past the planned end
                    lm.add(Run(start + offset, cut))
        return windows

    def claims(self, tickets: list[Ticket]) -> list[ExclusionClaim]:
        candidates = [t for t in tickets if t.imputability == "operator" and t.restored_at]
        picks = self.rng.sample(candidates, min(12, len(candidates)))
        decisions = [ClaimDecision.PENDING] * 6 + [ClaimDecision.ACCEPTED] * 3
        decisions += [ClaimDecision.REJECTED] * 3
        out = []
        for ticket, decision in zip(picks, decisions, strict=False):
            assert ticket.restored_at is not None
            assert ticket.link is not None
            out.append(
                ExclusionClaim(
                    link=ticket.link,
                    start=ticket.opened_at - timedelta(minutes=10),
                    end=ticket.restored_at,
                    type=self.rng.choice(("client", "force_majeure", "third_party")),
                    reason=f"[{self.tag}] operator's claim on ticket {ticket.reference}",
                    decision=decision,
                    decided_at=None if decision == ClaimDecision.PENDING else ticket.restored_at,
                )
            )
        return out


class RealDataError(RuntimeError):
    """The month already holds real monitoring: generating over it would falsify the SLA."""


CAPACITY_LINKS = 24
CAPACITY_SATURATED = 4


def _rate(rng: random.Random, committed: float, hour: float, weekday: int, peak: float) -> float:
    """A plausible 5-minute mean: night floor, a working-day hump, a little noise."""
    day = weekday < 5
    hump = math.exp(-(((hour - 11.0) / 3.5) ** 2)) + 0.6 * math.exp(-(((hour - 15.5) / 2.0) ** 2))
    share = 0.03 + (peak if day else peak * 0.15) * min(1.0, hump) * rng.uniform(0.7, 1.05)
    return committed * min(share, 0.99)


def generate_capacity(gen: Generator, months: list[LinkMonth]) -> int:
    """5-minute rollups of the CPE uplink for a sample of fibre links with a committed rate (the
    month's rollups of those links are replaced); a few run close to their committed rate."""
    from django.db import connection

    from metrics.schema import ROLLUP_5M, Backend, detect_backend, ensure_partitions

    connection.ensure_connection()
    conn: Any = connection.connection
    start = gen.at(0)
    end = gen.at(gen.slots)
    candidates = [
        lm.link
        for lm in months
        if lm.link.technology == "ftto"
        and lm.link.committed_down_bps
        and lm.link.a_interface_id
        and lm.link.role != "backbone"
    ]
    chosen = gen.rng.sample(candidates, min(CAPACITY_LINKS, len(candidates)))
    if not chosen:
        return 0
    if detect_backend(conn) == Backend.PARTITIONS:
        ensure_partitions(conn, ROLLUP_5M, start, end)
    with conn.cursor() as cur:  # the same seed picks the same links: replace, never add
        cur.execute(
            "DELETE FROM metrics_interface_5m WHERE bucket >= %s AND bucket < %s "
            "AND interface_id = ANY(%s)",
            (start, end, [link.a_interface_id for link in chosen]),
        )
    zone = ZoneInfo("Europe/Paris")
    rows = 0
    columns = "bucket, interface_id, device_id, in_mean, in_max, in_count, out_mean, out_max, "
    columns += "out_count, seconds_up, samples"
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY metrics_interface_5m ({columns}) FROM STDIN") as copy,
    ):
        for n, link in enumerate(chosen):
            peak = 0.97 if n < CAPACITY_SATURATED else gen.rng.uniform(0.15, 0.6)
            down = float(link.committed_down_bps or 0)
            up = float(link.committed_up_bps or down)
            device = link.a_interface.device_id if link.a_interface else 0
            moment = start
            while moment < end:
                local = moment.astimezone(zone)
                if gen.rng.random() < 0.004:  # an interval the poller could not measure
                    copy.write_row(
                        (
                            moment,
                            link.a_interface_id,
                            device,
                            None,
                            None,
                            0,
                            None,
                            None,
                            0,
                            300.0,
                            5,
                        )
                    )
                else:
                    hour = local.hour + local.minute / 60
                    value = _rate(gen.rng, down, hour, local.weekday(), peak)
                    out = _rate(gen.rng, up, hour, local.weekday(), peak * 0.4)
                    copy.write_row(
                        (
                            moment,
                            link.a_interface_id,
                            device,
                            value,
                            value * 1.3,
                            5,
                            out,
                            out * 1.3,
                            5,
                            300.0,
                            5,
                        )
                    )
                rows += 1
                moment += timedelta(minutes=5)
    return rows


def clear(year: int, month: int) -> None:
    """Remove what an earlier run generated for this month (reports stay: they are immutable)."""
    tag = f"{PREFIX}-{year:04d}{month:02d}"
    Ticket.objects.filter(reference__startswith=f"{tag}-").delete()
    Incident.objects.filter(notes=f"[{tag}] generated history").delete()
    MaintenanceWindow.objects.filter(reference__startswith=f"{tag}-").delete()
    ExclusionClaim.objects.filter(reason__startswith=f"[{tag}]").delete()
    lo, hi = month_bounds(year, month, ZoneInfo("Europe/Paris"))
    MonitoringRun.objects.filter(
        source=SOURCE,
        start__gte=lo,
        start__lt=hi,
    ).delete()
    CollectedWindow.objects.filter(
        source=SOURCE,
        start__gte=lo,
        start__lt=hi,
    ).delete()


def generate_history(year: int, month: int, seed: int = 1, *, capacity: bool = True) -> Summary:
    """Generate the month for every subscription of the inventory (replacing an earlier run)."""
    gen = Generator(year, month, seed)
    summary = Summary(f"{year:04d}-{month:02d}")
    with transaction.atomic(), change_context(source="generate-history", log_each_object=False):
        lo, hi = gen.at(0), gen.at(gen.slots)
        real = MonitoringRun.objects.filter(start__lt=hi, end__gt=lo).exclude(source=SOURCE)
        if real.exists():
            raise RealDataError(
                f"{summary.month} already holds monitoring from the poller; "
                "generate-history is for demos and benchmarks only"
            )
        clear(year, month)
        months = gen.links()
        gaps = gen.collector_gaps(months)
        gen.pop_outage(months)
        windows = gen.maintenance(months)
        for lm in months:
            gen.link_events(lm)
        tickets = gen.tickets(months, gaps)
        Ticket.objects.bulk_create(tickets)
        TicketSuspension.objects.bulk_create(gen._suspensions)
        TicketReopening.objects.bulk_create(gen._reopenings)
        for window, links in windows:
            window.save()
            window.links.set(links)
        claims = gen.claims(tickets)
        ExclusionClaim.objects.bulk_create(claims)
        runs = [
            MonitoringRun(
                link=lm.link,
                start=gen.at(r.start),
                end=gen.at(min(r.end, gen.slots)),
                state=r.state,
                third_party=r.third_party,
                source=SOURCE,
            )
            for lm in months
            for r in sorted(lm.runs, key=lambda r: r.start)
            if r.start < gen.slots
        ]
        MonitoringRun.objects.bulk_create(runs, batch_size=5000)
        # The simulated monitoring is complete over the month and the day after (all UP then),
        # so the month's reports are final (docs/sla.md R13).
        record_window(lo, hi + timedelta(days=1), SOURCE)
        summary.capacity_rows = generate_capacity(gen, months) if capacity else 0
        summary.incidents = gen.incidents(months)
    summary.links, summary.runs, summary.tickets = len(months), len(runs), len(tickets)
    summary.maintenance, summary.claims = len(windows), len(claims)
    return summary
