"""Reading what a report version needs from the database: inventory names, the month's penalty
lines, earlier months' adjustments, the alerting incidents and capacity figures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, Q

from alerting.models import Incident, IncidentKind, Ticket
from common.times import month_seconds
from inventory.choices import EstablishmentCategory
from inventory.models import Link
from sla.capacity import CapacityLink, monthly_capacity
from sla.models import Penalty, Report
from sla.report.content import PenaltyRow, ReportContent, SiteInfo, build_content


def site_infos(report: Report) -> dict[str, SiteInfo]:
    ids = [s["id"] for s in report.inputs["subscriptions"]]
    categories = dict(EstablishmentCategory.choices)
    rows = Link.objects.filter(contract_id=report.contract_id, circuit_id__in=ids).values_list(
        "pk",
        "circuit_id",
        "establishment__code",
        "establishment__name",
        "establishment__category",
        "establishment__commune__department__code",
        "establishment__commune__department__name",
        "service_class__name",
        "technology",
        "establishment_id",
    )
    return {
        circuit: SiteInfo(
            link_id=pk,
            site_code=code or circuit,
            site_name=name or "",
            category=category or "",
            category_label=categories.get(category, category or "—"),
            department=f"{dep_name} ({dep})" if dep else "—",
            class_name=class_name or "",
            technology=technology,
            establishment_id=establishment,
        )
        for (
            pk,
            circuit,
            code,
            name,
            category,
            dep,
            dep_name,
            class_name,
            technology,
            establishment,
        ) in rows
    }


def _rows(lines: Any, circuits: dict[int, tuple[str, str]]) -> list[PenaltyRow]:
    return [
        PenaltyRow(
            subscription=circuits.get(p.link_id, ("—", ""))[0],
            site=circuits.get(p.link_id, ("—", ""))[1],
            type=p.type,
            ticket=p.ticket,
            computed_ht=p.computed_ht,
            amount_ht=p.amount_ht,
            status=p.status,
            recomputed_ht=p.recomputed_ht,
            period=f"{p.year}-{p.month:02d}",
            notified_at=p.notified_at,
        )
        for p in lines
    ]


def penalty_rows(report: Report) -> tuple[list[PenaltyRow], list[PenaltyRow]]:
    """The month's lines, and earlier months' lines whose amount moved after they left
    `computed` (changed by a decision, or recomputed by a later report version)."""
    lines = Penalty.objects.filter(
        contract_id=report.contract_id, year=report.year, month=report.month
    ).order_by("link__circuit_id", "type", "ticket")
    earlier = (
        Penalty.objects.filter(contract_id=report.contract_id)
        .filter(Q(year__lt=report.year) | Q(year=report.year, month__lt=report.month))
        .filter(Q(recomputed_ht__isnull=False) | ~Q(amount_ht=F("computed_ht")))
        .order_by("year", "month", "link__circuit_id")
    )
    link_ids = {p.link_id for p in lines} | {p.link_id for p in earlier}
    circuits = {
        pk: (circuit, code or "")
        for pk, circuit, code in Link.objects.filter(pk__in=link_ids).values_list(
            "pk", "circuit_id", "establishment__code"
        )
    }
    return _rows(lines, circuits), _rows(earlier, circuits)


def _month_utc(report: Report) -> tuple[datetime, datetime]:
    lo, hi = month_seconds(
        report.year, report.month, ZoneInfo(report.inputs["contract"]["timezone"])
    )
    return datetime.fromtimestamp(lo, tz=UTC), datetime.fromtimestamp(hi, tz=UTC)


def capacity_for(report: Report, sites: dict[str, SiteInfo]) -> dict[int, Any]:
    start, end = _month_utc(report)
    links = [
        CapacityLink(pk, iface, down, up)
        for pk, iface, down, up in Link.objects.filter(
            pk__in=[i.link_id for i in sites.values()], a_interface__isnull=False
        ).values_list("pk", "a_interface_id", "committed_down_bps", "committed_up_bps")
    ]
    connection.ensure_connection()
    return monthly_capacity(connection.connection, links, start, end)


def incident_count(report: Report) -> int:
    """Alerting's incidents of the contract's operator that started in the month."""
    start, end = _month_utc(report)
    return Incident.objects.filter(
        operator_id=report.contract.operator_id, start__gte=start, start__lt=end
    ).count()


def ticket_pks(report: Report, sites: dict[str, SiteInfo]) -> dict[str, int]:
    """The report's ticket references → their pages (tickets of the contract's links)."""
    references = {t["id"] for t in report.inputs["tickets"]}
    rows = Ticket.objects.filter(
        link_id__in=[i.link_id for i in sites.values()], reference__in=references
    ).values_list("reference", "pk")
    return dict(rows)


def outage_incidents(
    content: ReportContent,
) -> dict[tuple[str, datetime | None], int]:
    """Each outage of the report's end → the alerting outage on its link that overlaps it (not a
    saturation or quality incident on the same link)."""
    out: dict[tuple[str, datetime | None], int] = {}
    for o in content.outages:
        info = content.sites.get(o.subscription)
        if info is None or o.start is None:
            continue
        found = (
            Incident.objects.filter(
                root_kind="link", root_id=info.link_id, kind__in=IncidentKind.outages()
            )
            .filter(Q(end__isnull=True) | Q(end__gt=o.start))
            .filter(start__lt=o.end or datetime.max.replace(tzinfo=UTC))
            .order_by("start")
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None:
            out[(o.subscription, o.start)] = found
    return out


def load_content(report: Report) -> ReportContent:
    sites = site_infos(report)
    penalties, adjustments = penalty_rows(report)
    contract = report.contract
    content = build_content(
        report,
        sites,
        penalties,
        adjustments,
        capacity_for(report, sites),
        incident_count(report),
        contract_title=contract.title,
        operator=contract.operator.name,
    )
    content.ticket_pks = ticket_pks(report, sites)
    content.outage_incidents = outage_incidents(content)
    return content
