"""`/api/`: an index of the API, as DRF's root views give one per app, so a person (or a
script) starting at the root finds every endpoint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ROUTED = ("inventory", "alerting", "core")  # each has its router's own root view
TOPOLOGY = ("spof", "impact", "findings", "export", "map", "drift-list", "discovery-run-list")


class APIRootView(APIView):
    """Each app's endpoints, the OpenAPI schema and its documentation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body: dict[str, Any] = {
            app: reverse(f"{app}-api:api-root", request=request) for app in ROUTED
        }
        body["topology"] = {
            name.removesuffix("-list"): reverse(f"topology-api:{name}", request=request)
            for name in TOPOLOGY
        }
        body["schema"] = reverse("api-schema", request=request)
        body["docs"] = reverse("api-docs", request=request)
        return Response(body)
