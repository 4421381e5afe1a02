"""Quality series composed for charts (issue 19): a link's RTT, loss and jitter from the prober's
measurements, at the resolution the range calls for. An establishment shows its primary access
link's (or its first one's): quality is per path, never summed. One payload shape for both pages,
drawn by quality.js."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboards.series import _ms, _pg


def _payload(link: dict[str, Any] | None, start: datetime, end: datetime) -> dict[str, Any]:
    """What quality.js draws: [time ms, RTT median, min, max, loss %, jitter] per point."""
    from metrics.quality import link_quality_series
    from metrics.queries import choose_resolution

    if link is None:
        resolution, points = choose_resolution(start, end), []
    else:
        series = link_quality_series(_pg(), link["id"], start, end)
        resolution, points = series.resolution, [[_ms(p[0]), *p[1:]] for p in series.points]
    return {
        "resolution": resolution,
        "start": _ms(start),
        "end": _ms(end),
        "link": link,
        "points": points,
    }


def link_quality(
    link_id: int, start: datetime, end: datetime, operator: int | None = None
) -> dict[str, Any]:
    """One link's measurements (the view has already checked the account may see it)."""
    from inventory.models import Link

    row = Link.objects.filter(pk=link_id).values_list("id", "circuit_id").first()
    if row is None:
        raise LookupError(f"no link {link_id}")
    return _payload({"id": row[0], "circuit_id": row[1]}, start, end)


def establishment_quality(
    establishment_id: int, start: datetime, end: datetime, operator: int | None = None
) -> dict[str, Any]:
    """The establishment's primary access link, else its first one; for an operator's account,
    among that operator's links only."""
    from inventory.models import Link

    links = Link.objects.filter(establishment_id=establishment_id).exclude(role="backbone")
    if operator is not None:
        links = links.filter(operator_id=operator)
    rows = list(links.order_by("pk").values("id", "circuit_id", "role"))
    chosen = next((r for r in rows if r["role"] == "primary"), rows[0] if rows else None)
    link = {"id": chosen["id"], "circuit_id": chosen["circuit_id"]} if chosen else None
    return _payload(link, start, end)


QUALITY = {"establishment": establishment_quality, "link": link_quality}
