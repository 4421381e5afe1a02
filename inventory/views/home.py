"""The home page: the inventory at a glance, each block a panel later issues can add to."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.views.generic import TemplateView

from common.roles import is_operator
from common.views import ScopedViewMixin
from inventory import models as m
from inventory.choices import EstablishmentCategory, LinkTechnology


def _labelled(rows: Any, labels: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(value, label, count) rows, biggest first."""
    return sorted(
        ((value, labels.get(value, value), n) for value, n in rows), key=lambda r: (-r[2], r[1])
    )


def inventory_counts() -> dict[str, Any]:
    """The counts the home page shows; a plain dict so other pages and layers can reuse it."""
    categories = m.Establishment.objects.order_by().values_list("category").annotate(n=Count("id"))
    departments = (
        m.Establishment.objects.order_by()
        .values_list("commune__department__code", "commune__department__name")
        .annotate(n=Count("id"))
        .order_by("commune__department__code")
    )
    technologies = m.Link.objects.order_by().values_list("technology").annotate(n=Count("id"))
    return {
        "establishment_count": m.Establishment.objects.count(),
        "by_category": _labelled(categories, dict(EstablishmentCategory.choices)),
        "by_department": [(code, f"{name} ({code})", n) for code, name, n in departments],
        "device_count": m.Device.objects.count(),
        "link_count": m.Link.objects.count(),
        "by_technology": _labelled(technologies, dict(LinkTechnology.choices)),
        "operator_count": m.Operator.objects.count(),
        "pop_count": m.Pop.objects.count(),
        "contract_count": m.Contract.objects.count(),
    }


class HomeView(ScopedViewMixin, TemplateView):
    template_name = "inventory/home.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The counts are of the whole network: an operator account lands on its own links.
        if is_operator(request.user):
            return redirect("inventory:link_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(inventory_counts())
        return context
