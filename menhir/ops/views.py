"""/health (no login: load balancers and `docker compose` probe it) and /metrics (no login, a
bearer token: Prometheus scrapes it)."""

from __future__ import annotations

import hmac
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from menhir.ops.exposition import content_type, render


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 with `{"status": "ok"}` when the database answers, 503 otherwise."""
    began = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "latency_ms": round((time.monotonic() - began) * 1000, 1)}
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        database = {"status": "unavailable", "error": reason}
    healthy = database["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": {"database": database}},
        status=200 if healthy else 503,
    )


def _token_ok(request: HttpRequest) -> bool:
    expected = settings.MENHIR_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@login_not_required
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.MENHIR_METRICS_TOKEN:
        return HttpResponse(
            "/metrics is disabled: set MENHIR_METRICS_TOKEN\n",
            status=403,
            content_type="text/plain",
        )
    if not _token_ok(request):
        response = HttpResponse(
            "a valid scrape token is required (Authorization: Bearer …)\n",
            status=401,
            content_type="text/plain",
        )
        response["WWW-Authenticate"] = 'Bearer realm="menhir-metrics"'
        return response
    return HttpResponse(render(), content_type=content_type())
