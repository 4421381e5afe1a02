"""`POST /api/alerting/imports/` (multipart: `file`, `kind` tickets|maintenance, `operator`,
optional `timezone`): an operator's CSV export, all or nothing, with each bad cell reported."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from alerting.importers import ImportFailed, RowError
from alerting.importers.options import ImportOptionError, run_import

MAX_BYTES = 20 * 1024 * 1024


def error_rows(errors: list[RowError]) -> list[dict[str, Any]]:
    return [
        {
            "location": str(e.location) if e.location else None,
            "column": e.column,
            "message": e.message,
        }
        for e in errors
    ]


class ImportViewSet(viewsets.ViewSet):
    """Editors upload an operator's export; readers may not."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="alerting_imports_create",
        request={"multipart/form-data": OpenApiTypes.OBJECT},
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def create(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": ["Upload the CSV export as `file`."]}, status=400)
        if upload.size is not None and upload.size > MAX_BYTES:
            return Response({"file": [f"At most {MAX_BYTES // 2**20} MiB."]}, status=400)
        try:
            result = run_import(
                str(request.data.get("kind", "")),
                upload.read(),
                str(request.data.get("operator", "")),
                request.data.get("timezone") or None,
                user=request.user,
            )
        except ImportOptionError as refusal:
            return Response({"detail": str(refusal)}, status=400)
        except ImportFailed as failure:
            body: dict[str, Any] = {
                "detail": f"Nothing imported: {len(failure.errors)} error(s).",
                "errors": error_rows(failure.errors),
            }
            return Response(body, status=400)
        done = {
            "model": result.model,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        return Response(done, status=status.HTTP_201_CREATED)
