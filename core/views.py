"""The audit page: sign-in events and object changes side by side, for administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from common.roles import ADMIN, has_role
from core.forms import PreferenceForm
from core.language import SESSION_KEY, user_language
from core.models import AuditEvent, AuditKind, ObjectChange, UserPreference

SHOWN = 100


def audit(request: HttpRequest) -> HttpResponse:
    """`/audit/?user=alice&kind=login_failed`: the latest sign-ins and the latest changes (of
    that user when filtered), each sign-in linking to the changes of its user."""
    if not has_role(request.user, ADMIN):
        raise PermissionDenied(_("The audit log is for administrators."))
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


def account(request: HttpRequest) -> HttpResponse:
    """`/account/`: the signed-in user's own settings (the interface's language)."""
    user: Any = request.user  # signed in: LoginRequiredMiddleware
    preference = UserPreference.objects.filter(user=user).first() or UserPreference(
        user=user, language=user_language(user)
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session[SESSION_KEY] = preference.language
        translation.activate(preference.language)
        messages.success(request, _("Your settings are saved."))
        return redirect("core:account")
    return render(request, "core/account.html", {"form": form})
