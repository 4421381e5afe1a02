"""Pages that compose inventory objects with their live data (ARCHITECTURE, "Who owns what")."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from dashboards.series import BadRange, establishment_chart, parse_range
from inventory.views.access import read_role_required
from inventory.views.details import EstablishmentView


class EstablishmentWithTraffic(EstablishmentView):
    """The establishment page, with its link's throughput against the committed rate."""

    template_name = "dashboards/establishment.html"


@read_role_required
def establishment_series_json(request: HttpRequest, pk: int) -> JsonResponse:
    """Chart data for the establishment page (session login, read role: see urls)."""
    try:
        start, end = parse_range(request.GET.dict())
    except BadRange as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(establishment_chart(pk, start, end))
