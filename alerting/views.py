"""The incident pages: the list, one incident, and the acknowledgement link of a page (no login,
grants nothing but acknowledging that incident)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import DurationField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import Coalesce, Now
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from alerting import tables
from alerting.filtersets import IncidentFilterSet, IncidentState
from alerting.forms import IncidentFilterForm
from alerting.listing import as_dict
from alerting.models import Incident, severity_rank
from alerting.paging import AckRefused, acknowledge, notification_for_token
from common.api.renderers import CSVRenderer
from common.csv_dialects import for_language
from common.filenames import attachment
from common.roles import is_operator
from common.scoping import scope, visible
from common.views import ObjectListView, role_required


@login_not_required
@require_http_methods(["GET", "POST"])
def ack_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will be acknowledged (mail scanners follow links: they must not ack);
    POST acknowledges and spends the link."""
    try:
        notification = notification_for_token(token)
    except AckRefused as refusal:
        return render(request, "alerting/ack.html", {"error": str(refusal)}, status=410)
    incident = notification.incident
    if request.method == "POST":
        acknowledge(
            incident, who=notification.recipient, source="e-mail link", notification=notification
        )
        return render(request, "alerting/ack.html", {"incident": incident, "done": True})
    return render(request, "alerting/ack.html", {"incident": incident, "token": token})


class IncidentList(ObjectListView):
    """The NOC's problems view: open incidents first by default, every filter in the URL,
    sortable, paged with the total, coloured by severity, exported as the API's CSV."""

    model = Incident
    filterset_class = IncidentFilterSet
    filter_form_class = IncidentFilterForm
    columns = tables.INCIDENT
    default_sort = "-start"
    default_filters = {"state": IncidentState.OPEN}
    export_formats = ("csv",)
    admin_editable = False
    template_name = "alerting/incident_list.html"

    def get_queryset(self) -> QuerySet[Incident]:
        elapsed = ExpressionWrapper(Coalesce(F("end"), Now()) - F("start"), DurationField())
        return (
            Incident.objects.select_related("operator")
            .prefetch_related("tickets")
            .annotate(severity_rank=severity_rank(), duration=elapsed)
        )

    def row_class(self, obj: Incident) -> str:
        return f"severity-{obj.severity}" + (" closed" if obj.end else "")

    def export(self, queryset: QuerySet[Incident], fmt: str) -> HttpResponse:
        """The filtered incidents in the API's CSV (the same columns, field rules, cells)."""
        rows = [visible(self.request.user, Incident, as_dict(i)) for i in queryset]
        dialect = for_language(get_language())  # a French spreadsheet's CSV for a French page
        body = CSVRenderer().render(rows, renderer_context={"csv_dialect": dialect})
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment("incidents.csv")
        return response

    def extra_context(self, page: Any) -> dict[str, Any]:
        scoped = self.scoped(Incident.objects.filter(end__isnull=True))
        unacknowledged = scoped.filter(acknowledged_at__isnull=True)
        return {"open_count": scoped.count(), "unacknowledged_count": unacknowledged.count()}


@role_required(Incident)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from alerting.listing import incidents, timeline_for

    incident = get_object_or_404(scope(incidents(), request.user), pk=pk)
    impacts = incident.impacts.select_related("establishment__commune").order_by(
        "state", "establishment__code"
    )
    from common.roles import EDIT, has_role

    return render(
        request,
        "alerting/incident_detail.html",
        {
            "incident": incident,
            "impacts": impacts,
            "events": timeline_for(incident, request.user),
            # Who was paged is the syndicate's business, not the operator's.
            "notifications": []
            if is_operator(request.user)
            else incident.notifications.order_by("created"),
            "tickets": incident.tickets.order_by("reference"),
            "map_status": {
                i.establishment_id: "down" if i.state == "isolated" else "degraded" for i in impacts
            },
            "can_edit": has_role(request.user, EDIT),
            # acknowledging and recording its ticket: staff editors, and the operator of its own
            "can_act": has_role(request.user, EDIT) or is_operator(request.user),
        },
    )
