"""Brute-force protection of sign-in: failed attempts counted per username and per client
address in the database (shared by every web worker), with a lockout window.

MENHIR_LOGIN_MAX_ATTEMPTS failures within MENHIR_LOGIN_LOCKOUT_S seconds lock that username, or
that address, for MENHIR_LOGIN_LOCKOUT_S seconds; a successful login clears the username's count.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from core.models import LoginThrottle

USER = "user"
IP = "ip"


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", None) or {}
    return meta.get("REMOTE_ADDR") or None


def _keys(username: str | None, ip: str | None) -> list[tuple[str, str]]:
    keys = []
    if username:
        keys.append((USER, username.strip().lower()[:150]))
    if ip:
        keys.append((IP, ip))
    return keys


def locked_seconds(username: str | None, ip: str | None) -> int:
    """Seconds until this username and this address may try again (0: not locked)."""
    keys = _keys(username, ip)
    if not keys:
        return 0
    now = timezone.now()
    match = Q()
    for scope, key in keys:
        match |= Q(scope=scope, key=key)
    until = LoginThrottle.objects.filter(match, locked_until__gt=now).aggregate(
        last=Max("locked_until")
    )["last"]
    return math.ceil((until - now).total_seconds()) if until else 0


@transaction.atomic
def record_failure(username: str | None, ip: str | None) -> bool:
    """Count one failed attempt; returns True when it locks the username or the address now."""
    now = timezone.now()
    window = timedelta(seconds=settings.MENHIR_LOGIN_LOCKOUT_S)
    locked_now = False
    for scope, key in _keys(username, ip):
        LoginThrottle.objects.get_or_create(scope=scope, key=key)
        row = LoginThrottle.objects.select_for_update().get(scope=scope, key=key)
        if now - row.window_start > window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= settings.MENHIR_LOGIN_MAX_ATTEMPTS and not (
            row.locked_until and row.locked_until > now
        ):
            row.locked_until = now + window
            row.failures, row.window_start = 0, now
            locked_now = True
        row.save()
    return locked_now


def clear_username(username: str) -> None:
    """A successful login: that username's failures are forgiven."""
    LoginThrottle.objects.filter(scope=USER, key=username.strip().lower()[:150]).delete()


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (
        "Too many failed sign-in attempts for this account or from this address: "
        f"try again in {minutes} minute{'s' if minutes > 1 else ''}."
    )
