"""The home page's figures: status counters, the open incidents, open incidents by operator, the
most saturated links, the links of worst quality (probes) and this month's availability by
operator, each in a fixed number of queries. The live ones come as one JSON (`live_panels`) the
page redraws on every refresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from common.quantities import number
from dashboards.status import NetworkStatus, network_status
from inventory.formatting import mbit_s

TOP_LINKS = 10
OPEN_INCIDENTS = 10  # listed on the home page, most severe first; the incidents page has all
HOT_PERCENT = 80
TOP_WINDOW = timedelta(hours=24)
QUALITY_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class OperatorAvailability:
    """Indicative availability of an operator's primary access links since the month began:
    `(T − D) / T` with T the links' elapsed time and D the time their sites were cut off by
    incidents imputable to the operator, outside maintenance (docs/sla.md R8, without the exclusion
    claims and schedules the monthly SLA report applies). Truncated to 3 decimals (R12)."""

    operator_id: int
    name: str
    slug: str
    links: int
    downtime_s: float
    required_s: float

    @property
    def percent(self) -> str:
        if self.required_s <= 0:
            return "n/a"
        # exact fractions: a float division may land just under a whole thousandth (1 − ε)
        available = max(Fraction(self.required_s) - Fraction(self.downtime_s), Fraction(0))
        thousandths = int(available * 100_000 // Fraction(self.required_s))
        return f"{thousandths // 1000}.{thousandths % 1000:03d}"


def month_start(now: datetime) -> datetime:
    from common.times import month_bounds
    from metrics.queries import CONTRACT_TZ

    local = now.astimezone(CONTRACT_TZ)
    return month_bounds(local.year, local.month, CONTRACT_TZ)[0]


def availability_by_operator(now: datetime) -> list[OperatorAvailability]:
    """Per operator with primary access links, this contract month so far."""
    from alerting.models import Incident
    from inventory.models import Link, Operator

    start = month_start(now)
    elapsed = max((now - start).total_seconds(), 0.0)
    counts = dict(
        Link.objects.filter(role="primary", status="active", establishment__isnull=False)
        .order_by()
        .values_list("operator_id")
        .annotate(n=Count("id"))
    )
    downtime: dict[int, float] = {}
    incidents = (
        Incident.objects.filter(operator__isnull=False, in_maintenance=False, start__lt=now)
        .filter(Q(end__isnull=True) | Q(end__gt=start))
        .annotate(
            cut=Count(
                "impacts",
                filter=Q(impacts__state="isolated", impacts__imputability="operator"),
            )
        )
        .values_list("operator_id", "start", "end", "cut")
    )
    for operator_id, began, ended, cut in incidents:
        overlap = (min(ended or now, now) - max(began, start)).total_seconds()
        if overlap > 0 and cut:
            downtime[operator_id] = downtime.get(operator_id, 0.0) + overlap * cut
    out = []
    for pk, name, slug in Operator.objects.filter(pk__in=counts).values_list("pk", "name", "slug"):
        required = counts[pk] * elapsed
        out.append(
            OperatorAvailability(
                pk, name, slug, counts[pk], min(downtime.get(pk, 0.0), required), required
            )
        )
    return sorted(out, key=lambda a: a.name)


def open_incidents_by_operator() -> list[dict[str, Any]]:
    """Open incidents per responsible operator (none: the syndicate's own elements)."""
    from alerting.models import Incident

    rows = (
        Incident.objects.filter(end__isnull=True)
        .order_by()
        .values_list("operator__name", "operator__slug")
        .annotate(n=Count("id"))
    )
    return sorted(
        (
            {"name": name or "Syndicate (own elements)", "slug": slug or "", "count": n}
            for name, slug, n in rows
        ),
        key=lambda r: (-r["count"], r["name"]),
    )


def top_saturated_links(now: datetime, limit: int = TOP_LINKS) -> list[dict[str, Any]]:
    """The links with the highest 95th percentile against their committed rate, last 24 h."""
    from inventory.models import Link
    from metrics.queries import top_utilisation

    connection.ensure_connection()
    rows = top_utilisation(connection.connection, now - TOP_WINDOW, now, limit=limit)
    links = Link.objects.select_related("operator", "establishment").in_bulk(
        [r.link_id for r in rows]
    )
    return [
        {"link": links[r.link_id], "row": r, "percent": round(r.utilisation * 100, 1)}
        for r in rows
        if r.link_id in links
    ]


def worst_quality_links(
    now: datetime, limit: int = TOP_LINKS, operator: int | None = None
) -> list[dict[str, Any]]:
    """The links that lost the most probes over the last hour, then the slowest (median RTT);
    for an operator's account (`operator`), among its own links only. Two queries."""
    from inventory.models import Link
    from metrics.quality import worst_links

    connection.ensure_connection()
    rows = worst_links(
        connection.connection, now - QUALITY_WINDOW, now, limit=limit, operator_id=operator
    )
    links = Link.objects.select_related("operator", "establishment").in_bulk(
        [r.link_id for r in rows]
    )
    out = []
    for r in rows:
        link = links.get(r.link_id)
        if link is None:  # deleted since it was probed
            continue
        site = link.establishment
        out.append({
            "url": link.get_absolute_url(), "circuit": link.circuit_id,
            "establishment": site.name if site else "",
            "establishment_url": site.get_absolute_url() if site else "",
            "operator": link.operator.name, "slots": r.slots,
            "loss": number(r.loss_pct, 1), "lossy": r.loss_pct > 0,
            "rtt": _ms_text(r.rtt_median_ms), "rtt_max": _ms_text(r.rtt_max_ms),
            "jitter": _ms_text(r.jitter_ms),
        })  # fmt: skip
    return out


def _ms_text(value: float | None) -> str:
    return "—" if value is None else f"{number(value, 1)}\u00a0ms"


def open_incidents(limit: int = OPEN_INCIDENTS) -> list[dict[str, Any]]:
    """The open incidents, most severe then newest first, as the home page lists them."""
    from alerting.models import Incident, severity_rank

    rows = (
        Incident.objects.filter(end__isnull=True)
        .select_related("operator")
        .annotate(rank=severity_rank())
        .order_by("-rank", "-start")[:limit]
    )
    return [
        {
            "id": i.pk,
            "url": i.get_absolute_url(),
            "kind": i.get_kind_display(),
            "root": i.root_name,
            "severity": i.severity,
            "severity_label": i.get_severity_display(),
            "since": timezone.localtime(i.start).strftime("%Y-%m-%d %H:%M"),
            "operator": i.operator.name if i.operator else "Syndicate (own elements)",
            "impacted": i.impacted_count,
            "degraded": i.degraded_count,
            "acknowledged": i.acknowledged_at is not None,
        }
        for i in rows
    ]


def live_panels(status: NetworkStatus, now: datetime) -> dict[str, Any]:
    """Every live element of the home page but the map, as JSON: the page draws them from this
    at load and again from each refresh of the status (`/dashboards/status/?panels=1`), so they
    all change together and never disagree."""
    incidents_url = reverse("alerting:incidents")
    by_operator = [
        {**row, "url": f"{incidents_url}?operator={row['slug']}" if row["slug"] else ""}
        for row in open_incidents_by_operator()
    ]
    top = [
        {
            "url": item["link"].get_absolute_url(),
            "circuit": item["link"].circuit_id,
            "establishment": item["link"].establishment.name if item["link"].establishment else "",
            "establishment_url": item["link"].establishment.get_absolute_url()
            if item["link"].establishment
            else "",
            "operator": item["link"].operator.name,
            "down": mbit_s(item["row"].down_bps),
            "up": mbit_s(item["row"].up_bps),
            "committed": f"{mbit_s(item['row'].committed_down_bps)} / "
            f"{mbit_s(item['row'].committed_up_bps)}",
            "percent": number(item["percent"], 1),
            "hot": item["percent"] >= HOT_PERCENT,
        }
        for item in top_saturated_links(now)
    ]
    return {
        "at": now.isoformat(),
        "counts": status.counts(),
        "pops_down": sum(1 for v in status.pops.values() if v == "down"),
        "open_incidents": open_incidents(),
        "open_by_operator": by_operator,
        "top_links": top,
        "worst_quality": worst_quality_links(now),
    }


def home_panels(now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    status = network_status(now)
    return {
        "live": live_panels(status, now),
        "status_counts": status.counts(),
        "top_window_hours": int(TOP_WINDOW.total_seconds() // 3600),
        "quality_window_minutes": int(QUALITY_WINDOW.total_seconds() // 60),
        "availability": availability_by_operator(now),
        "month_start": month_start(now),
    }
