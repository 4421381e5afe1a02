"""The evaluation file of one contract-month, built from the database (docs/sla.md format).

The engine stays a pure function of this document: the report stores it, hashes it, and anyone
can run `menhir sla evaluate` on it to check a figure. What cannot enter the document (a link
without a fee or service class…) is listed as a data-quality finding instead of being guessed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db.models import Q, Sum

from alerting.evidence import covered_links
from alerting.models import MaintenanceWindow
from common.times import from_seconds, month_seconds
from inventory.models import Contract, Link, ServiceClass
from sla.calc.findings import MISSING_SEPARATOR, finding
from sla.collect import slot_seconds
from sla.models import (
    COUNTED,
    ClaimDecision,
    CollectedWindow,
    ExclusionClaim,
    MonitoringRun,
    Penalty,
)
from sla.ticket_source import DatabaseTickets
from sla.times import iso
from topology.analysis import Network
from topology.loader import load_graph

# Runs this long before the month are read, so an outage across midnight on the 1st is detected
# on its whole timeline (R13) and a maintenance notice given the month before is seen.
LOOKBACK = timedelta(days=2)
DAY_AFTER = timedelta(days=1)  # the monitoring after the month a report reads, once collected
DECISIONS = {ClaimDecision.PENDING: "proposed", ClaimDecision.ACCEPTED: "accepted"}


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def document_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces): same inputs, same hash."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class TicketSource(Protocol):
    """Where the operators' tickets come from (alerting's Ticket model by default); `quality`
    collects what the source had to leave out, for the report's data-quality section."""

    quality: list[str]

    def tickets(
        self, links: dict[int, str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Evaluation-file ticket objects for the links (pk → subscription id) that may matter
        to the period [start, end): opened before its end, not restored before its start."""
        ...


class NoTickets:
    """No tickets at all: every figure then rests on monitoring alone (the engine's own tests
    and what-if runs)."""

    quality: list[str] = []

    def tickets(
        self, links: dict[int, str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        return []


@dataclass
class Inputs:
    """The document plus what the report needs beside it (ids back to the inventory)."""

    document: dict[str, Any]
    link_ids: dict[str, int]  # subscription id → Link pk
    quality: list[str] = field(default_factory=list)

    @property
    def hash(self) -> str:
        return document_hash(self.document)


def _contract(c: Contract, to_date: Decimal) -> dict[str, Any]:
    return {
        "reference": c.reference,
        "timezone": c.timezone,
        "holidays": "FR",
        "business_hours": {
            "days": list(c.business_days),
            "start": _hhmm(c.business_start),
            "end": _hhmm(c.business_end),
        },
        "maintenance_notice_days": c.maintenance_notice_days,
        "reopen_window_hours": c.reopen_window_hours,
        "skew_tolerance_seconds": c.skew_tolerance_seconds,
        "detector": {
            "slot_seconds": slot_seconds(),
            "n_down": c.detector_n_down,
            "n_up": c.detector_n_up,
        },
        "amount_total_ht": money(c.amount_total_ht),
        "penalty_cap_contract_pct": rate(c.penalty_cap_contract_pct),
        "exemption_threshold_ht": money(c.exemption_threshold_ht),
        "penalties_to_date_ht": money(to_date),
    }


def _hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)[:5]


def rate(value: Any) -> str:
    """A rate in its shortest exact form ("10", "99.95"), whether the Decimal came from the
    database ("10.00") or from code ("10"): the same contract must hash the same."""
    return format(Decimal(str(value)).normalize(), "f")


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else rate(value)


def _service_class(sc: ServiceClass) -> dict[str, Any]:
    return {
        "availability_schedule": sc.availability_schedule,
        # A class without tiers (best effort) owes nothing for availability: one 0 % tier.
        "availability_tiers": [[rate(t), rate(r)] for t, r in sc.availability_tiers]
        or [["0", "0"]],
        "gtr_minutes": sc.gtr_minutes,
        "gtr_clock": sc.gtr_clock,
        "gtr_penalty_pct_per_started_hour": _pct(sc.gtr_penalty_pct_per_started_hour),
        "gti_minutes": sc.gti_minutes,
        "gti_clock": sc.gti_clock,
        "gti_penalty_pct": _pct(sc.gti_penalty_pct),
        "monthly_cap_pct": rate(sc.monthly_cap_pct),
    }


def classes_in_force(
    contract: Contract, first_day: date, last_day: date
) -> dict[str, ServiceClass]:
    """Per class slug, the version in force on the month's first day (or, for a class that
    starts during the month, its first version). *Choice*: terms changed mid-month apply from
    the next month; a contract lawyer reads a monthly penalty against the month's terms."""
    chosen: dict[str, ServiceClass] = {}
    versions = ServiceClass.objects.filter(contract=contract, effective_from__lte=last_day)
    for sc in versions.order_by("slug", "effective_from"):
        if sc.effective_to is not None and sc.effective_to < first_day:
            continue
        current = chosen.get(sc.slug)
        if current is None or sc.effective_from <= first_day:
            chosen[sc.slug] = sc
    return chosen


def penalties_before(contract: Contract, year: int, month: int) -> Decimal:
    """The contract's penalties before this month: the amount on file at the contract's start
    in Menhir plus every earlier month's penalty still owed (proposed onwards, not waived)."""
    earlier = Q(year__lt=year) | Q(year=year, month__lt=month)
    owed = (
        Penalty.objects.filter(earlier, contract=contract, status__in=COUNTED)
        .aggregate(total=Sum("amount_ht"))
        .get("total")
    )
    return contract.penalties_to_date_ht + (owed or Decimal("0"))


def _subscriptions(
    contract: Contract, classes: dict[str, ServiceClass], start: datetime, end: datetime
) -> tuple[list[dict[str, Any]], dict[str, int], list[str]]:
    subs: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    quality: list[str] = []
    links = (
        Link.objects.filter(contract=contract)
        .filter(Q(service_start__isnull=True) | Q(service_start__lt=end))
        .filter(Q(service_end__isnull=True) | Q(service_end__gt=start))
        .values_list(
            "pk",
            "circuit_id",
            "service_class__slug",
            "monthly_fee_ht",
            "service_start",
            "service_end",
            "establishment__code",
            "role",
        )
        .order_by("circuit_id")
    )
    for pk, circuit, slug, fee, s_start, s_end, site, role in links:
        missing = [
            name
            for name, value in (
                ("service class", slug),
                ("monthly fee", fee),
                ("service start", s_start),
            )
            if value is None
        ]
        if missing or fee is None or s_start is None:
            quality.append(
                finding("link_incomplete", link=circuit, missing=MISSING_SEPARATOR.join(missing))
            )
            continue
        if slug not in classes:
            quality.append(finding("class_not_in_force", link=circuit, service_class=slug))
            continue
        subs.append(
            {
                "id": circuit,
                "service_class": slug,
                "monthly_fee_ht": money(fee),
                "service_start": iso(s_start),
                "service_end": iso(s_end) if s_end else None,
                "site": site or circuit,
                "role": "backup" if role == "backup" else "primary",
            }
        )
        ids[circuit] = pk
    return subs, ids, quality


def _monitoring(ids: dict[str, int], start: datetime, end: datetime) -> list[dict[str, Any]]:
    by_pk = {pk: sub for sub, pk in ids.items()}
    runs = (
        MonitoringRun.objects.filter(link_id__in=by_pk, start__lt=end, end__gt=start - LOOKBACK)
        .order_by("link_id", "start")
        .values_list("link_id", "start", "end", "state", "third_party")
    )
    out: list[dict[str, Any]] = []
    for link_id, r_start, r_end, state, third in runs.iterator(chunk_size=5000):
        sub = by_pk.get(link_id)
        if sub is None:
            continue
        run = {"subscription": sub, "start": iso(r_start), "end": iso(r_end), "state": state}
        if third:
            run["imputability"] = "third_party"
        out.append(run)
    return out


def _window_links(windows: list[MaintenanceWindow]) -> dict[int, set[int]]:
    """Window pk → the access links it covers, on the topology (alerting.evidence): its links,
    the links of its devices and PoPs, and those its works cut off from the core."""
    if not windows:
        return {}
    net = Network(load_graph())
    return {w.pk: covered_links(net, w) for w in windows}


def _maintenance(ids: dict[str, int], start: datetime, end: datetime) -> list[dict[str, Any]]:
    by_pk = {pk: sub for sub, pk in ids.items()}
    windows = list(
        MaintenanceWindow.objects.filter(planned_start__lt=end, planned_end__gt=start - LOOKBACK)
        .order_by("planned_start", "pk")
        .only("pk", "operator_id", "notified_at", "planned_start", "planned_end", "curative")
    )
    covered = _window_links(windows)
    out = []
    for w in windows:
        subs = sorted(by_pk[pk] for pk in covered.get(w.pk, ()) if pk in by_pk)
        if subs:
            out.append(
                {
                    "subscriptions": subs,
                    "notified_at": iso(w.notified_at),
                    "planned_start": iso(w.planned_start),
                    "planned_end": iso(w.planned_end),
                    "curative": w.curative,
                    "_reference": w.reference or w.title,
                }
            )
    return out


def _exclusions(ids: dict[str, int], start: datetime, end: datetime) -> list[dict[str, Any]]:
    by_pk = {pk: sub for sub, pk in ids.items()}
    claims = (
        ExclusionClaim.objects.filter(link_id__in=by_pk, start__lt=end, end__gt=start)
        .exclude(decision=ClaimDecision.REJECTED)
        .order_by("start", "pk")
    )
    return [
        {
            "subscription": by_pk[c.link_id],
            "start": iso(c.start),
            "end": iso(c.end),
            "type": c.type,
            "decision": DECISIONS[ClaimDecision(c.decision)],
        }
        for c in claims
    ]


def monitoring_until(start: datetime, end: datetime) -> datetime | None:
    """Where the collected monitoring of the month `[start, end)` really ends: the end of the
    stretch of collected windows reaching furthest from inside the month (None when nothing
    was recorded: the file's default applies)."""
    windows = CollectedWindow.objects.filter(
        start__lt=end + DAY_AFTER, end__gt=start - LOOKBACK
    ).values_list("start", "end")
    reach: datetime | None = None
    for w_start, w_end in sorted(windows):
        if reach is not None and w_start <= reach:
            reach = max(reach, w_end)
        elif w_start < end:
            reach = w_end
    return reach


def build_inputs(
    contract: Contract,
    year: int,
    month: int,
    *,
    tickets: TicketSource | None = None,
    now: datetime | None = None,
) -> Inputs:
    """The evaluation file of `contract` for `year`-`month`. A month not yet over gets `as_of`
    = `now` rounded down to the slot (R13: a provisional report)."""
    zone = ZoneInfo(contract.timezone)
    lo, hi = month_seconds(year, month, zone)
    start, end = from_seconds(lo), from_seconds(hi)
    now = now or datetime.now(UTC)
    slot = slot_seconds()
    as_of = None
    if now < end:
        as_of = from_seconds(int(now.timestamp()) // slot * slot)
    first_day = start.astimezone(zone).date()
    last_day = (end - timedelta(seconds=1)).astimezone(zone).date()
    classes = classes_in_force(contract, first_day, last_day)
    subs, ids, quality = _subscriptions(contract, classes, start, end)
    used = {s["service_class"] for s in subs}
    period_end = as_of or end
    until = monitoring_until(start, end)
    monitoring_end = min(end + DAY_AFTER, until or end, as_of or end + DAY_AFTER)
    by_pk = {pk: sub for sub, pk in ids.items()}
    source = tickets or DatabaseTickets()
    document: dict[str, Any] = {
        "month": f"{year:04d}-{month:02d}",
        **({"as_of": iso(as_of)} if as_of else {}),
        **({"monitoring_until": iso(monitoring_end)} if until else {}),
        "contract": _contract(contract, penalties_before(contract, year, month)),
        "service_classes": {slug: _service_class(classes[slug]) for slug in sorted(used)},
        "subscriptions": subs,
        "monitoring": _monitoring(ids, start, max(period_end, monitoring_end)),
        "tickets": source.tickets(by_pk, start - LOOKBACK, period_end),
        "maintenance": _maintenance(ids, start, period_end),
        "exclusions": _exclusions(ids, start, period_end),
    }
    return Inputs(document, ids, quality + list(source.quality))
