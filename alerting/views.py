"""The acknowledgement link of a page: no login, grants nothing but acknowledging that incident."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from alerting.paging import AckRefused, acknowledge, notification_for_token


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
