"""Pages that compose inventory objects with their live data (ARCHITECTURE, "Who owns what"):
the home page, the live map and lists with a live status, and the chart series. The detail
pages stay the inventory's: dashboards adds its live state and charts to them as panels
(dashboards.panels)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.forms import choices_with_any
from common.scoping import operator_id, scope
from common.tables import Column
from common.views import check_access, read_role_required, role_required
from dashboards import live
from dashboards.home import home_panels, live_panels
from dashboards.quality import QUALITY
from dashboards.search import search
from dashboards.series import CHARTS, BadRange, parse_range
from dashboards.status import network_status
from inventory.filter_forms import EstablishmentFilterForm, PopFilterForm
from inventory.models import Establishment, Link, Operator, Pop
from inventory.views.home import HomeView
from inventory.views.lists import EstablishmentListView, PopListView
from topology.views import logical_context


def _live_map_context(panels: bool = False) -> dict[str, Any]:
    return {
        "status_url": reverse("dashboards:status") + ("?panels=1" if panels else ""),
        "status_refresh_s": settings.MENHIR_STATUS_REFRESH_SECONDS,
    }


class HomeWithStatus(HomeView):
    """The inventory's home, with the network's live status, its map and its figures."""

    template_name = "dashboards/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(home_panels())
        context.update(_live_map_context(panels=True))
        return context


@read_role_required
def live_map(request: HttpRequest) -> HttpResponse:
    """The topology's geographic map, coloured by the live status and refreshed periodically."""
    return render(request, "topology/map.html", _live_map_context())


@read_role_required
def live_logical(request: HttpRequest) -> HttpResponse:
    """The topology's logical view, its PoPs and sites coloured by the live status."""
    return render(
        request, "topology/logical.html", {**logical_context(request), **_live_map_context()}
    )


@read_role_required
def status_json(request: HttpRequest) -> JsonResponse:
    """Every establishment's and PoP's status, with the counts per status; with `?panels=1`,
    the home page's other live elements too (dashboards.home.live_panels), from the same
    status, so that everything on the page changes together."""
    now = timezone.now()
    status = network_status(now)
    body = status.as_json()
    if request.GET.get("panels") == "1":
        body["panels"] = live_panels(status, now)
    return JsonResponse(body)


CHART_MODELS: dict[str, type[Model]] = {
    "establishment": Establishment,
    "link": Link,
    "pop": Pop,
    "operator": Operator,
}


def _chart_json(request: HttpRequest, kind: str, pk: int, chart: Any) -> JsonResponse:
    """A chart's data over the asked range (session login; an operator account only for its own
    objects: another's is a 404, a PoP a 403; a bad range a 400 saying why)."""
    model = CHART_MODELS[kind]
    check_access(request.user, model)
    if not scope(model._default_manager.filter(pk=pk), request.user).exists():
        raise Http404(f"No such {kind}")
    try:
        start, end = parse_range(request.GET.dict())
    except BadRange as error:
        return JsonResponse({"error": str(error)}, status=400)
    try:
        return JsonResponse(chart(pk, start, end, operator_id(request.user)))
    except LookupError as error:
        raise Http404(str(error)) from None


def series_json(request: HttpRequest, kind: str, pk: int) -> JsonResponse:
    """Throughput chart data for an establishment, link, PoP or operator page."""
    return _chart_json(request, kind, pk, CHARTS[kind])


def quality_json(request: HttpRequest, kind: str, pk: int) -> JsonResponse:
    """RTT, loss and jitter chart data for an establishment or link page (dashboards.quality)."""
    return _chart_json(request, kind, pk, QUALITY[kind])


@role_required(Establishment)  # staff, and operator accounts (their own objects only)
def search_page(request: HttpRequest) -> HttpResponse:
    """The search box of every page: establishments, communes, PoPs, devices, links and
    incidents matching the text, ignoring case and accents (dashboards.search)."""
    text = request.GET.get("q", "")[:200]
    groups = search(text, request.user)
    return render(
        request,
        "dashboards/search.html",
        {
            "q": text,
            "groups": groups,
            "total": sum(g.total for g in groups),
        },
    )


LIVE_FIELD = forms.ChoiceField(
    label=_("Live status"), choices=choices_with_any(list(live.LABELS.items())), required=False
)


class EstablishmentFilterFormWithStatus(EstablishmentFilterForm):
    live = LIVE_FIELD


class PopFilterFormWithStatus(PopFilterForm):
    live = LIVE_FIELD


class LiveStatusListMixin:
    """A list with a live status column (after the first two) and filter (`?live=down`): the
    map's status (dashboards.status), computed once per page; an unknown value is a 400."""

    statuses: ClassVar[str]  # the NetworkStatus map of the listed objects: "sites" or "pops"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.status: dict[int, str] = getattr(network_status(), self.statuses)
        self.live_wanted = request.GET.get("live", "")
        if self.live_wanted and self.live_wanted not in live.LABELS:
            return HttpResponseBadRequest(
                f"live: one of {', '.join(live.LABELS)}", content_type="text/plain"
            )
        return super().get(request)  # type: ignore[misc]

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[misc]
        if self.live_wanted:
            wanted = [pk for pk, s in self.status.items() if s == self.live_wanted]
            queryset = queryset.filter(pk__in=wanted)
        return queryset

    def get_columns(self) -> tuple[Column, ...]:
        def badge(obj: Any) -> str:
            state = self.status.get(obj.pk, "unknown")
            return format_html(
                '<span class="badge live-badge live-{}">{}</span>', state, live.LABELS[state]
            )

        base: tuple[Column, ...] = super().get_columns()  # type: ignore[misc]
        return (*base[:2], Column("live", _("Live status"), render=badge), *base[2:])


class EstablishmentListWithStatus(LiveStatusListMixin, EstablishmentListView):
    filter_form_class = EstablishmentFilterFormWithStatus
    statuses = "sites"


class PopListWithStatus(LiveStatusListMixin, PopListView):
    filter_form_class = PopFilterFormWithStatus
    statuses = "pops"
