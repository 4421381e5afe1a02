"""Incidents over the API, in the same shape as `menhir incidents --json`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from alerting.listing import as_dict, incidents, timeline_for
from alerting.models import Incident
from alerting.paging import acknowledge
from common.api.filters import refuse_unknown
from common.api.renderers import CSVRenderer, FormlessBrowsableAPIRenderer
from common.filenames import attachment
from common.roles import is_operator
from common.scoping import scope, visible


class IncidentQuery(serializers.Serializer[Any]):
    """The list's query string (text without NUL bytes, bounded paging)."""

    open = serializers.BooleanField(required=False, default=False)
    operator = serializers.CharField(required=False, max_length=100)
    kind = serializers.CharField(required=False, max_length=40)
    department = serializers.CharField(required=False, max_length=3)
    category = serializers.CharField(required=False, max_length=40)
    limit = serializers.IntegerField(required=False, default=100, min_value=0, max_value=1000)
    offset = serializers.IntegerField(required=False, default=0, min_value=0)


class IncidentViewSet(viewsets.ViewSet):
    """Incidents, open first. Filters: `open=true`, `operator=<slug>`, `department=<code>`,
    `category=<category>` (of an impacted establishment), `kind`; any other parameter is a 400.
    Paged by `limit`/`offset` with `next`/`previous` links; `?format=csv` is the whole list."""

    queryset = Incident.objects.all()  # for the schema (integer `id`) and the permission
    renderer_classes = [JSONRenderer, FormlessBrowsableAPIRenderer, CSVRenderer]
    # an operator account acknowledges its own incidents and records its ticket reference
    operator_actions = ("ack", "ticket")

    def _incidents(self, request: Request, open_only: bool = False) -> QuerySet[Incident]:
        return scope(incidents(open_only), request.user)

    def _queryset(self, request: Request) -> tuple[QuerySet[Incident], dict[str, Any]]:
        refuse_unknown(request.query_params, set(IncidentQuery().fields))
        query = IncidentQuery(data=request.query_params)
        query.is_valid(raise_exception=True)  # a bad value is a 400 naming it, never a 500
        params = query.validated_data
        qs = self._incidents(request, params["open"])
        if params.get("operator"):
            qs = qs.filter(operator__slug=params["operator"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("department"):
            qs = qs.filter(
                impacts__establishment__commune__department__code=params["department"]
            ).distinct()
        if params.get("category"):
            qs = qs.filter(impacts__establishment__category=params["category"]).distinct()
        return qs, params

    @extend_schema(
        operation_id="alerting_incidents_list",
        parameters=[IncidentQuery],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request: Request) -> Response:
        qs, params = self._queryset(request)
        if getattr(request.accepted_renderer, "format", None) == "csv":  # the whole list
            return Response(
                [visible(request.user, Incident, as_dict(i)) for i in qs],
                headers={"Content-Disposition": attachment("incidents.csv")},
            )
        offset, limit = params["offset"], params["limit"]
        rows = [visible(request.user, Incident, as_dict(i)) for i in qs[offset : offset + limit]]
        count = qs.count()
        url = request.build_absolute_uri()
        following = offset + limit < count and limit > 0
        return Response(
            {
                "count": count,
                "next": replace_query_param(url, "offset", offset + limit) if following else None,
                "previous": (
                    replace_query_param(url, "offset", max(0, offset - limit)) if offset else None
                ),
                "results": rows,
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        incident = self._get(pk)
        body: dict[str, Any] = as_dict(incident)
        body["severity"] = incident.severity
        body["notes"] = incident.notes
        body["ticket_reference"] = incident.ticket_reference
        body["tickets"] = [
            {
                "id": t.pk,
                "reference": t.reference,
                "restored_at": t.restored_at and t.restored_at.isoformat(),
            }
            for t in incident.tickets.order_by("reference")
        ]
        body["timeline"] = [
            {"time": e.time.isoformat(), "kind": e.kind, "detail": e.detail}
            for e in timeline_for(incident, request.user)
        ]
        impacts = incident.impacts.select_related("establishment").order_by("establishment__code")
        body["impacted"] = [
            {
                "id": i.establishment_id,
                "code": i.establishment.code,
                "name": i.establishment.name,
                "category": i.establishment.category,
                "state": i.state,
                "imputability": i.imputability,
                "lat": i.establishment.latitude,
                "lon": i.establishment.longitude,
            }
            for i in impacts
        ]
        return Response(visible(request.user, Incident, body))

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def ack(self, request: Request, pk: str | None = None) -> Response:
        incident = self._get(pk)
        done = acknowledge(incident, who=request.user.get_username(), source="api")
        by: str | None = incident.acknowledged_by  # an operator learns who only if itself
        if is_operator(request.user) and by != request.user.get_username():
            by = None
        return Response({"acknowledged": True, "already": not done, "by": by})

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def ticket(self, request: Request, pk: str | None = None) -> Response:
        """Record the operator's ticket reference (`{"reference": "…"}`); the operator's ticket
        of that reference, when known, is linked to the incident."""
        from alerting.ticketing import link_ticket

        incident = self._get(pk)
        reference = request.data.get("reference") if isinstance(request.data, dict) else None
        if not isinstance(reference, str) or not reference.strip() or len(reference) > 100:
            raise ValidationError({"reference": _("A ticket reference (1 to 100 characters).")})
        ticket = link_ticket(incident, reference, who=request.user.get_username())
        return Response(
            {"ticket_reference": incident.ticket_reference, "ticket": ticket.pk if ticket else None}
        )

    def _get(self, pk: str | None) -> Incident:
        """The incident `pk` as this user may see it (another operator's is a 404)."""
        from django.http import Http404

        incidents_seen = self._incidents(self.request)
        found = incidents_seen.filter(pk=pk).first() if pk and pk.isdigit() else None
        if found is None:
            raise Http404("No such incident")
        return found
