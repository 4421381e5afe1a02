"""Read-only topology endpoints. Each request builds the graph from the inventory (a few
queries, ~0.1 s on the reference network) so answers always reflect the current inventory."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.roles import is_operator
from common.scoping import operator_id, scope
from inventory.models import Establishment, Pop
from topology.analysis import Network
from topology.export import to_graphml, to_json
from topology.graph import site_node
from topology.loader import load_graph
from topology.mapdata import cached_map_data, map_version, operator_map_data
from topology.models import DiscoveryRun, DriftFinding
from topology.reports import (
    UnknownElement,
    breakdown,
    element_impact,
    path_to_core,
    redundancy,
    resolve_element,
    shared_fate,
    site_refs,
    spof,
)

SITE_FIELDS = ("id", "code", "name", "category", "department")


def _sites(net: Network, sites: Any) -> list[dict[str, Any]]:
    return site_refs(net, sites, SITE_FIELDS)


SpofSerializer = inline_serializer(
    "Spof",
    {
        "id": serializers.JSONField(help_text="A number; an operator's id is its slug."),
        "kind": serializers.CharField(),
        "name": serializers.CharField(),
        "isolated_establishments": serializers.IntegerField(),
        "degraded_establishments": serializers.IntegerField(),
        "isolated_by_category": serializers.DictField(child=serializers.IntegerField()),
        "isolated_by_department": serializers.DictField(child=serializers.IntegerField()),
    },
    many=True,
)


class SpofView(APIView):
    @extend_schema(responses=SpofSerializer)
    def get(self, request: Request) -> Response:
        net = Network(load_graph())
        return Response(
            [
                {
                    "id": e.element.id,
                    "kind": e.element.kind,
                    "name": e.element.name,
                    "isolated_establishments": len(e.impact.isolated),
                    "degraded_establishments": len(e.impact.degraded),
                    "isolated_by_category": breakdown(net, e.impact.isolated, "category"),
                    "isolated_by_department": breakdown(net, e.impact.isolated, "department"),
                }
                for e in spof(net)
            ]
        )


class ImpactView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "fail",
                str,
                required=True,
                description="A PoP or device name, link:<id>, pop:<name> or operator:<name>.",
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("fail", "").strip()
        if not wanted:
            raise ValidationError({"fail": _("Name the element that fails (?fail=Quimper).")})
        net = Network(load_graph())
        try:
            element = resolve_element(net, wanted)
        except UnknownElement as error:
            raise ValidationError({"fail": str(error)}) from None
        found = element_impact(net, element)
        return Response({
            "element": {"kind": element.kind, "id": element.id, "name": element.name},
            "isolated_establishments": _sites(net, found.isolated),
            "degraded_establishments": _sites(net, found.degraded),
            "isolated_by_category": breakdown(net, found.isolated, "category"),
        })  # fmt: skip


class EstablishmentPathView(APIView):
    """The path of one establishment to the core, with its redundancy."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        net = Network(load_graph())
        node = site_node(pk)
        if node not in net.graph:
            raise NotFound(_("No such active establishment."))
        r = redundancy(net, node)
        hops = path_to_core(net, node)
        return Response(
            {
                "establishment": _sites(net, [node])[0],
                "edge_disjoint_paths": r.edge_disjoint,
                "node_disjoint_paths": r.node_disjoint,
                "path": [
                    {"node": h.node, "name": h.name, "link": h.link, "operator": h.operator}
                    for h in hops
                ],
            }
        )


class FindingsView(APIView):
    """Dual-homed sites whose two links share a router, a PoP, a duct or an upstream element."""

    @extend_schema(
        responses=inline_serializer(
            "SharedFateFinding",
            {
                "establishment": serializers.DictField(),
                "kind": serializers.CharField(),
                "detail": serializers.CharField(),
            },
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        net = Network(load_graph())
        return Response(
            [
                {"establishment": _sites(net, [f.site])[0], "kind": f.kind, "detail": f.detail}
                for f in shared_fate(net)
            ]
        )


@method_decorator(gzip_page, name="dispatch")
class MapDataView(APIView):
    """Department outlines, PoPs, backbone and sites: what the maps draw, with the optional tile
    server (`tiles`: MENHIR_MAP_TILE_URL, empty by default).

    The home page and the maps load it on every visit, and it changes only with the inventory:
    it carries an ETag (the inventory's fingerprint), a browser revalidating gets 304 Not
    Modified, each process builds it once per fingerprint, and it travels compressed.

    An operator's account (the incident page's map) gets its own establishments only (those its
    links serve, common.scoping) and neither PoPs nor backbone, which are the syndicate's."""

    # What operator accounts are scoped to: RolePermission lets them read, `get` narrows.
    queryset = Establishment.objects.all()

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        tiles = {
            "url": settings.MENHIR_MAP_TILE_URL,
            "attribution": settings.MENHIR_MAP_TILE_ATTRIBUTION,
        }
        operator = is_operator(request.user)
        owner = operator_id(request.user) if operator else None
        version = map_version()
        tag = hashlib.sha256(f"{version}|{owner}|{tiles['url']}|{tiles['attribution']}".encode())
        etag = f'"map-{"op-" if operator else ""}{tag.hexdigest()[:20]}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        # Compression makes the tag weak (W/"…"): weak comparison, as RFC 9110 has for GET.
        sent = (
            t.strip().removeprefix("W/")
            for t in request.headers.get("If-None-Match", "").split(",")
        )
        if etag in sent:
            return Response(status=304, headers=headers)
        data = cached_map_data(version)
        if operator:
            own = set(scope(Establishment.objects.all(), request.user).values_list("pk", flat=True))
            data = operator_map_data(data, own)
        return Response({**data, "tiles": tiles}, headers=headers)


class ExportView(APIView):
    """The graph (or a PoP's subtree, `?pop=<id>`) as node-link JSON or GraphML (`?format=`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("graph_format", str, enum=["json", "graphml"]),
            OpenApiParameter("pop", int),
        ],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "application/xml"): str},
    )
    def get(self, request: Request) -> HttpResponse:
        fmt = request.query_params.get("graph_format", "json")
        if fmt not in ("json", "graphml"):
            raise ValidationError({"graph_format": _("json or graphml")})
        pop = request.query_params.get("pop")
        if pop is not None and not pop.isdigit():
            raise ValidationError({"pop": _("a PoP id")})
        if pop and not Pop.objects.filter(pk=int(pop)).exists():
            raise NotFound(
                _("no PoP with id %(pop)s") % {"pop": pop}
            )  # not an empty graph that looks like one
        g = load_graph(int(pop) if pop else None)
        if fmt == "graphml":
            return HttpResponse(to_graphml(g), content_type="application/xml; charset=utf-8")
        return HttpResponse(to_json(g), content_type="application/json; charset=utf-8")


class DriftFindingSerializer(serializers.ModelSerializer[DriftFinding]):
    class Meta:
        model = DriftFinding
        fields = [
            "id", "run", "kind", "status", "link", "a_device", "a_port", "z_device", "z_port",
            "seen_a_port", "seen_z_port", "detail", "decided_by", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class DriftFindingViewSet(viewsets.ReadOnlyModelViewSet[DriftFinding]):
    """Drift findings of discovery runs (`?status=open`, `?kind=wrong_port`); editors accept
    a finding into the inventory or dismiss it."""

    serializer_class = DriftFindingSerializer
    filterset_fields = ["status", "kind", "run"]

    def get_queryset(self) -> Any:
        return DriftFinding.objects.all()

    @extend_schema(
        request=inline_serializer(
            "AcceptFinding",
            {
                "operator": serializers.CharField(required=False),
                "circuit_id": serializers.CharField(required=False),
            },
        ),
        responses=DriftFindingSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        from topology.actions import CannotAccept, accept_finding

        finding = self.get_object()
        try:
            accept_finding(
                finding,
                request.user,
                operator=request.data.get("operator"),
                circuit_id=request.data.get("circuit_id"),
            )
        except CannotAccept as error:
            raise ValidationError({"detail": str(error)}) from None
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "message_dict") else error.messages
            ) from None
        return Response(DriftFindingSerializer(finding).data)

    @extend_schema(request=None, responses=DriftFindingSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        from topology.actions import CannotAccept, dismiss_finding

        finding = self.get_object()
        try:
            dismiss_finding(finding, request.user)
        except CannotAccept as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(DriftFindingSerializer(finding).data)


class DiscoveryRunSerializer(serializers.ModelSerializer[DiscoveryRun]):
    findings = serializers.SerializerMethodField()

    class Meta:
        model = DiscoveryRun
        fields = ["id", "started", "source", "devices_queried", "errors", "findings"]
        read_only_fields = fields

    def get_findings(self, run: DiscoveryRun) -> dict[str, int]:
        """Findings per kind, e.g. {"missing": 1, "wrong_port": 2} (prefetched in lists)."""
        return dict(Counter(f.kind for f in run.findings.all()))


class DiscoveryRequestSerializer(serializers.Serializer[Any]):
    # the metaclass takes declared fields off the class: this does not shadow Field.source
    source = serializers.ChoiceField(choices=["snmp", "napalm"])  # type: ignore[assignment]
    devices = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        allow_empty=False,
        max_length=5000,
        help_text="Device names (default: every device the source can ask).",
    )

    def validate_devices(self, names: list[str]) -> list[str]:
        from inventory.models import Device

        known = set(Device.objects.filter(name__in=names).values_list("name", flat=True))
        unknown = sorted(set(names) - known)
        if unknown:
            raise serializers.ValidationError(
                _("unknown devices: %(names)s") % {"names": ", ".join(unknown[:20])}
            )
        return names


class DiscoveryRunViewSet(viewsets.ReadOnlyModelViewSet[DiscoveryRun]):
    """Discovery runs; editors start one (`POST`: `{"source": "snmp"}`, optionally
    `"devices": [names]`). The run asks the devices while the request waits (about 6 s for the
    whole reference network over SNMP) and answers with the run and its findings per kind; the
    findings themselves are at `/api/topology/drift/?run=<id>`."""

    serializer_class = DiscoveryRunSerializer
    filterset_fields = ["source"]

    def get_queryset(self) -> Any:
        return DiscoveryRun.objects.prefetch_related("findings")

    @extend_schema(request=DiscoveryRequestSerializer, responses={201: DiscoveryRunSerializer})
    def create(self, request: Request) -> Response:
        from topology.discovery.runs import discover

        asked = DiscoveryRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        done = discover(asked.validated_data["source"], asked.validated_data.get("devices"))
        body = dict(DiscoveryRunSerializer(done.run).data)
        body["skipped"] = dict(done.skipped)
        return Response(body, status=201)
