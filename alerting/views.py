"""The acknowledgement link of a page: no login, grants nothing but acknowledging that incident."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from alerting.models import Incident
from alerting.paging import AckRefused, acknowledge, notification_for_token
from common.roles import is_operator
from common.scoping import scope
from inventory.views.access import role_required


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


@role_required(Incident)
def incident_list(request: HttpRequest) -> HttpResponse:
    """Live incidents, open first; filters by operator, department and category."""
    from alerting.api.views import IncidentQuery
    from alerting.listing import incidents
    from inventory.models import Operator

    params = request.GET
    wanted = {k: params[k] for k in ("operator", "department", "category") if params.get(k)}
    query = IncidentQuery(data=wanted)  # the API's rule: no NUL byte, bounded lengths
    if not query.is_valid():
        problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in query.errors.items())
        return HttpResponseBadRequest(f"Bad filter: {problems}", content_type="text/plain")
    qs = scope(incidents(), request.user)
    if params.get("operator"):
        qs = qs.filter(operator__slug=params["operator"])
    if params.get("department"):
        qs = qs.filter(impacts__establishment__commune__department__code=params["department"])
    if params.get("category"):
        qs = qs.filter(impacts__establishment__category=params["category"])
    qs = qs.distinct()
    open_first = sorted(qs[:500], key=lambda i: (i.end is not None, -i.start.timestamp()))
    operators = scope(Operator.objects.order_by("name"), request.user)
    return render(request, "alerting/incident_list.html", {
        "incidents": open_first, "operators": operators, "params": params,
    })  # fmt: skip


@role_required(Incident)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from alerting.listing import incidents, timeline_for

    incident = get_object_or_404(scope(incidents(), request.user), pk=pk)
    impacts = incident.impacts.select_related("establishment__commune").order_by(
        "state", "establishment__code"
    )
    from common.roles import EDIT, has_role

    return render(request, "alerting/incident_detail.html", {
        "incident": incident, "impacts": impacts, "events": timeline_for(incident, request.user),
        # Who was paged is the syndicate's business, not the operator's.
        "notifications": [] if is_operator(request.user)
        else incident.notifications.order_by("created"),
        "tickets": incident.tickets.order_by("reference"),
        "map_status": {i.establishment_id: "down" if i.state == "isolated" else "degraded"
                       for i in impacts},
        "can_edit": has_role(request.user, EDIT),
    })  # fmt: skip
