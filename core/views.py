"""The audit page: sign-in events and object changes side by side, for administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.roles import ADMIN, has_role
from core.models import AuditEvent, AuditKind, ObjectChange

SHOWN = 100


def audit(request: HttpRequest) -> HttpResponse:
    """`/audit/?user=alice&kind=login_failed`: the latest sign-ins and the latest changes (of
    that user when filtered), each sign-in linking to the changes of its user."""
    if not has_role(request.user, ADMIN):
        raise PermissionDenied("The audit log is for administrators.")
    username = request.GET.get("user", "").strip()
    kind = request.GET.get("kind", "")
    events = AuditEvent.objects.select_related("user")
    changes = ObjectChange.objects.select_related("changed_object_type")
    if username:
        events = events.filter(username__iexact=username)
        changes = changes.filter(user_name__iexact=username)
    notice = ""
    if kind:
        if kind in AuditKind.values:
            events = events.filter(kind=kind)
        else:
            notice = f"Unknown event kind {kind!r}: showing every kind."
    return render(request, "core/audit.html", {
        "events": events[:SHOWN], "changes": changes[:SHOWN], "username": username,
        "kind": kind, "kinds": AuditKind.choices, "notice": notice, "shown": SHOWN,
    })  # fmt: skip
