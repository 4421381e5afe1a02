"""Throughput series composed for charts: an establishment's, a link's, a PoP's or an operator's
traffic with the committed rates and the incidents, at the resolution the range calls for. One
payload shape (`_payload`) for every page, drawn by one script (traffic.js)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from metrics.queries import Series, choose_resolution

RANGES = {
    "6h": timedelta(hours=6),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "1y": timedelta(days=365),
}


class BadRange(ValueError):
    pass


# What a chart can ask for: real offsets, years PostgreSQL and the store hold, ten years at most.
MAX_OFFSET = timedelta(hours=14)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_SPAN = timedelta(days=3660)


def parse_range(params: dict[str, str]) -> tuple[datetime, datetime]:
    """`range=6h|24h|7d|30d|1y` ending now, or explicit `start`/`end` (ISO 8601 with offset)."""
    if params.get("start") or params.get("end"):
        try:
            start = datetime.fromisoformat(params["start"])
            end = datetime.fromisoformat(params["end"])
        except (KeyError, ValueError):
            raise BadRange("give both start and end, ISO 8601 with an offset") from None
        if start.tzinfo is None or end.tzinfo is None:
            raise BadRange("start and end need an offset (e.g. +01:00 or Z)")
        if end <= start:
            raise BadRange("end must come after start")
        for name, moment in (("start", start), ("end", end)):
            offset = moment.utcoffset()
            if offset is not None and abs(offset) > MAX_OFFSET:
                raise BadRange(f"{name}: a UTC offset is at most ±14:00")
            if not EARLIEST <= moment.astimezone(UTC) <= LATEST:
                raise BadRange(f"{name}: between {EARLIEST.year} and {LATEST.year}")
        if end - start > MAX_SPAN:
            raise BadRange(f"a chart spans at most {MAX_SPAN.days} days")
        return start, end
    name = params.get("range", "24h")
    if name not in RANGES:
        raise BadRange(f"range is one of {', '.join(RANGES)}")
    end = timezone.now()
    return end - RANGES[name], end


def _pg() -> Any:
    connection.ensure_connection()
    return connection.connection


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


def _points(series: Any) -> list[list[Any]]:
    return [[_ms(p.time), p.down_bps, p.up_bps] for p in series.points]


def _payload(
    series: Any,
    start: datetime,
    end: datetime,
    committed: tuple[int | None, int | None],
    links: int,
    incidents: Any,
) -> dict[str, Any]:
    """What timeseries.js draws: the points, the committed rates as thresholds, incident bands."""
    window = incidents.filter(start__lt=end).exclude(end__lt=start).distinct().order_by("start")
    return {
        "resolution": series.resolution,
        "start": _ms(start),
        "end": _ms(end),
        "points": _points(series),
        "committed_down_bps": committed[0] or None,
        "committed_up_bps": committed[1] or None,
        "links": links,
        "incidents": [
            {"id": pk, "from": _ms(s), "to": _ms(e) if e else None, "kind": kind}
            for pk, s, e, kind in window.values_list("pk", "start", "end", "kind")
        ],
    }


def establishment_chart(
    establishment_id: int, start: datetime, end: datetime, operator: int | None = None
) -> dict[str, Any]:
    """The establishment's primary link (or the sum of its links when it has several). For an
    operator's account (`operator`), only that operator's links and incidents: on a site it
    shares with another operator, nothing of the other's (issue 13, finding 4)."""
    from alerting.models import Incident
    from inventory.models import Link
    from metrics.queries import establishment_series, link_series, links_series

    own = Link.objects.filter(establishment_id=establishment_id, a_interface__isnull=False)
    incidents = Incident.objects.filter(impacts__establishment_id=establishment_id)
    if operator is not None:
        own = own.filter(operator_id=operator)
        incidents = incidents.filter(operator_id=operator)
    links = list(
        own.order_by("role", "pk").values("id", "role", "committed_down_bps", "committed_up_bps")
    )
    if len(links) == 1:
        series = link_series(_pg(), links[0]["id"], start, end)
    elif operator is not None:
        series = links_series(_pg(), [lk["id"] for lk in links], start, end)
    else:
        series = establishment_series(_pg(), establishment_id, start, end)
    primary = next((lk for lk in links if lk["role"] == "primary"), links[0] if links else None)
    committed = (
        (primary["committed_down_bps"], primary["committed_up_bps"]) if primary else (None, None)
    )
    return _payload(series, start, end, committed, len(links), incidents)


def link_chart(
    link_id: int, start: datetime, end: datetime, operator: int | None = None
) -> dict[str, Any]:
    """One link from the establishment's side; its incidents are its own and its site's (for an
    operator's account, those of its own operator only)."""
    from alerting.models import Incident
    from inventory.models import Link
    from metrics.queries import link_series

    link = (
        Link.objects.filter(pk=link_id)
        .values("a_interface_id", "establishment_id", "committed_down_bps", "committed_up_bps")
        .first()
    )
    if link is None:
        raise LookupError(f"no link {link_id}")
    if link["a_interface_id"] is None:
        series = Series(choose_resolution(start, end), start, end, [])
    else:
        series = link_series(_pg(), link_id, start, end)
    match = Q(root_kind="link", root_id=link_id)
    if link["establishment_id"] is not None:
        match |= Q(impacts__establishment_id=link["establishment_id"])
    committed = (link["committed_down_bps"], link["committed_up_bps"])
    incidents = Incident.objects.filter(match)
    if operator is not None:
        incidents = incidents.filter(operator_id=operator)
    return _payload(series, start, end, committed, 1, incidents)


def _aggregate_chart(links: Any, incidents: Any, start: datetime, end: datetime) -> dict[str, Any]:
    """The sum of a set of access links, against the sum of their committed rates."""
    from metrics.queries import links_series

    rows = list(links.values_list("pk", "committed_down_bps", "committed_up_bps"))
    series = links_series(_pg(), [pk for pk, _, _ in rows], start, end)
    committed = (sum(d or 0 for _, d, _ in rows), sum(u or 0 for _, _, u in rows))
    return _payload(series, start, end, committed, len(rows), incidents)


def pop_chart(
    pop_id: int, start: datetime, end: datetime, operator: int | None = None
) -> dict[str, Any]:
    """Every access link ending at the PoP, summed; incidents rooted at the PoP, its devices or
    those links."""
    from alerting.models import Incident
    from inventory.models import Device, Link, Pop

    if not Pop.objects.filter(pk=pop_id).exists():
        raise LookupError(f"no PoP {pop_id}")
    links = Link.objects.filter(z_interface__device__pop_id=pop_id).exclude(role="backbone")
    devices = Device.objects.filter(pop_id=pop_id).values("pk")
    incidents = Incident.objects.filter(
        Q(root_kind="pop", root_id=pop_id)
        | Q(root_kind="device", root_id__in=devices)
        | Q(root_kind="link", root_id__in=links.values("pk"))
    )
    return _aggregate_chart(links, incidents, start, end)


def operator_chart(
    operator_id: int, start: datetime, end: datetime, operator: int | None = None
) -> dict[str, Any]:
    """Every access link of the operator, summed; the incidents it is responsible for."""
    from alerting.models import Incident
    from inventory.models import Link, Operator

    if not Operator.objects.filter(pk=operator_id).exists():
        raise LookupError(f"no operator {operator_id}")
    links = Link.objects.filter(operator_id=operator_id).exclude(role="backbone")
    incidents = Incident.objects.filter(operator_id=operator_id)
    return _aggregate_chart(links, incidents, start, end)


CHARTS = {
    "establishment": establishment_chart,
    "link": link_chart,
    "pop": pop_chart,
    "operator": operator_chart,
}
