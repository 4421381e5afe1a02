"""Inline SVG charts for the report page (no JavaScript, no CDN): availability per group as
horizontal bars on a zoomed scale, the lowest value deciding where the scale starts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.quantities import NBSP, number
from sla.report.content import Aggregate

ROW = 26
LABEL_W = 230
BAR_W = 420


def scale_floor(values: Sequence[Decimal]) -> Decimal:
    """Where the axis starts: 1 point under the lowest value, at most 99, at least 0."""
    return max(Decimal(0), min(Decimal(99), min(values) - 1)).to_integral_value()


def availability_bars(groups: Sequence[Aggregate]) -> SafeString:
    shown = [(str(g.label), Decimal(g.availability_pct)) for g in groups if g.availability_pct]
    if not shown:
        return mark_safe("")
    floor = scale_floor([v for _name, v in shown])
    span = Decimal(100) - floor
    height = ROW * len(shown) + 24
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {LABEL_W + BAR_W + 80} {height}" '
        f'width="{LABEL_W + BAR_W + 80}" height="{height}">',
        "<title>"
        + escape(_("Availability (%%), scale from %(floor)s to 100") % {"floor": number(floor)})
        + "</title>",
    ]
    for i, (name, value) in enumerate(shown):
        y = i * ROW + 4
        width = int(BAR_W * (value - floor) / span) if span else BAR_W
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(name[:36])}</text>"
            f'<rect x="{LABEL_W}" y="{y}" width="{max(width, 1)}" height="{ROW - 8}" '
            f'fill="#3b6ea5"><title>{escape(name)}: {number(value, 3)}{NBSP}%</title></rect>'
            f'<text x="{LABEL_W + max(width, 1) + 4}" y="{y + 15}" font-size="11">'
            f"{number(value, 3)}</text>"
        )
    axis_y = ROW * len(shown) + 18
    parts.append(
        f'<text x="{LABEL_W}" y="{axis_y}" font-size="10">{number(floor)}{NBSP}%</text>'
        f'<text x="{LABEL_W + BAR_W}" y="{axis_y}" font-size="10" text-anchor="end">'
        f"100{NBSP}%</text>"
        "</svg>"
    )
    return mark_safe("".join(parts))
