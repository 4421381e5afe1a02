"""Throughput series composed for charts: a link's or an establishment's traffic with its
committed rates and its incidents, at the resolution the range calls for."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

RANGES = {
    "6h": timedelta(hours=6),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "1y": timedelta(days=365),
}


class BadRange(ValueError):
    pass


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


def establishment_chart(establishment_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    """The establishment's primary link (or the sum of its links when it has several)."""
    from alerting.models import Incident
    from inventory.models import Link
    from metrics.queries import establishment_series, link_series

    links = list(
        Link.objects.filter(establishment_id=establishment_id, a_interface__isnull=False)
        .order_by("role", "pk")
        .values("id", "role", "committed_down_bps", "committed_up_bps")
    )
    if len(links) == 1:
        series = link_series(_pg(), links[0]["id"], start, end)
    else:
        series = establishment_series(_pg(), establishment_id, start, end)
    primary = next((lk for lk in links if lk["role"] == "primary"), links[0] if links else None)
    incidents = (
        Incident.objects.filter(impacts__establishment_id=establishment_id, start__lt=end)
        .exclude(end__lt=start)
        .distinct()
    )
    return {
        "resolution": series.resolution,
        "start": _ms(start),
        "end": _ms(end),
        "points": _points(series),
        "committed_down_bps": primary["committed_down_bps"] if primary else None,
        "committed_up_bps": primary["committed_up_bps"] if primary else None,
        "links": len(links),
        "incidents": [
            {"id": i.pk, "from": _ms(i.start), "to": _ms(i.end) if i.end else None, "kind": i.kind}
            for i in incidents
        ],
    }
