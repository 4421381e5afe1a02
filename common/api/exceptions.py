"""API errors as JSON the caller can act on, including database integrity errors (400, not 500)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, IntegrityError):
        detail = str(exc).splitlines()[0] if str(exc) else "integrity error"
        return Response(
            {"detail": f"Conflicts with existing data: {detail}"}, status=status.HTTP_409_CONFLICT
        )
    return response
