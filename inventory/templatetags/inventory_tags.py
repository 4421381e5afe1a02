"""Template filters and tags of the inventory pages: units and the menu's current entry."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from inventory import formatting

register = template.Library()

register.filter("mbit_s", formatting.mbit_s)
register.filter("speed", formatting.speed)
register.filter("percent", formatting.percent)
register.filter("minutes", formatting.minutes)
register.filter("euros", formatting.euros)


@register.simple_tag(takes_context=True)
def nav_current(context: dict[str, Any], section: str) -> SafeString | str:
    """`aria-current="page"` on the menu entry of the section being shown."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None) or ""
    if name in (section, f"{section}_list"):
        return mark_safe('aria-current="page"')
    return ""
