"""Pages that compose inventory objects with their live data (ARCHITECTURE, "Who owns what")."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from common.scoping import scope
from dashboards.series import BadRange, establishment_chart, parse_range
from inventory.models import Establishment
from inventory.views.access import role_required
from inventory.views.details import EstablishmentView


class EstablishmentWithTraffic(EstablishmentView):
    """The establishment page, with its link's throughput against the committed rate."""

    template_name = "dashboards/establishment.html"


@role_required(Establishment)
def establishment_series_json(request: HttpRequest, pk: int) -> JsonResponse:
    """Chart data for the establishment page (session login; an operator account only for an
    establishment its links serve)."""
    if not scope(Establishment.objects.filter(pk=pk), request.user).exists():
        raise Http404("No such establishment")
    try:
        start, end = parse_range(request.GET.dict())
    except BadRange as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(establishment_chart(pk, start, end))
