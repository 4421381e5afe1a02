"""The audit log of sign-ins: one function per event, called by the auth signals and the token
authentication. Only usernames, addresses and user agents are written, never a secret."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core import throttle
from core.models import AuditEvent, AuditKind


def record(
    kind: str, request: Any = None, user: Any = None, username: str = "", detail: str = ""
) -> AuditEvent:
    meta = getattr(request, "META", None) or {}
    if user is not None and getattr(user, "pk", None) is None:
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        username=(username or getattr(user, "username", "") or "")[:150],
        user=user,
        ip=throttle.client_ip(request),
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:200],
        detail=detail[:200],
    )


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    throttle.clear_username(user.get_username())
    record(AuditKind.LOGIN, request, user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditKind.LOGOUT, request, user=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # `credentials` holds the password (Django masks it, we never read it): only the username.
    username = str(credentials.get("username") or "")
    ip = throttle.client_ip(request)
    if throttle.locked_seconds(username, ip):
        record(AuditKind.LOGIN_REFUSED, request, username=username)
        return
    locked = throttle.record_failure(username, ip)
    record(AuditKind.LOGIN_FAILED, request, username=username)
    if locked:
        record(AuditKind.LOCKOUT, request, username=username, detail="username from address locked")
    time.sleep(throttle.slowdown_seconds(username))  # many addresses guessing one username
