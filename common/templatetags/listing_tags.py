"""Template tags of the list pages: table cells, sortable headers, the admin's edit link."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from common.tables import Column

register = template.Library()


@register.simple_tag
def cell(obj: Any, column: Column) -> SafeString | str:
    """One table cell: formatted, linked to its object's page when it has one."""
    if column.render is not None:
        return column.render(obj)
    value = column.raw(obj)
    if value is None or value == "":
        return "—"
    text = column.format(value) if column.format else str(value)
    if column.link:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text)
    url = getattr(value, "get_absolute_url", None)
    if callable(url):
        return format_html('<a href="{}">{}</a>', url(), text)
    return text


@register.simple_tag
def admin_change_url(obj: Any) -> str:
    """The Django admin page that edits `obj` (editing happens in the admin for now)."""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], column: Column) -> SafeString | str:
    """A column header: a link that sorts by it, toggling the direction, keeping the filters."""
    if not column.sortable:
        return str(column.label)
    request = context["request"]
    current = context.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    descending = current == column.attr
    params["sort"] = f"-{column.attr}" if descending else column.attr
    marker = ""
    if current == column.attr:
        marker = " ▲"
    elif current == f"-{column.attr}":
        marker = " ▼"
    return format_html(
        '<a href="?{}" class="sort">{}{}</a>', params.urlencode(), column.label, marker
    )


@register.filter
def aria_sort(column: Column, current: str) -> str:
    if current == column.attr:
        return "ascending"
    if current == f"-{column.attr}":
        return "descending"
    return "none"
