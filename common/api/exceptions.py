"""API errors as JSON the caller can act on: integrity and protection errors are 409, not 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MAX_BLOCKING_SHOWN = 10


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):  # Django would answer an HTML 400
        return Response(
            {"detail": "The request body is larger than the server accepts."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    if isinstance(exc, ProtectedError | RestrictedError):
        blocking = list(
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        return Response(
            {
                "detail": "Cannot delete: other objects depend on it.",
                "dependent_objects": [
                    f"{o._meta.verbose_name}: {o}" for o in blocking[:MAX_BLOCKING_SHOWN]
                ],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        detail = str(exc).splitlines()[0] if str(exc) else "integrity error"
        return Response(
            {"detail": f"Conflicts with existing data: {detail}"}, status=status.HTTP_409_CONFLICT
        )
    return None
