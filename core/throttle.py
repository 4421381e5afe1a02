"""Brute-force protection of sign-in: failed attempts counted in the database (shared by every
web worker), per username *from one address*, per address, and per username overall.

MENHIR_LOGIN_MAX_ATTEMPTS failures within MENHIR_LOGIN_LOCKOUT_S seconds lock that username from
that address, or that address altogether, for MENHIR_LOGIN_LOCKOUT_S seconds. A username is
never locked from everywhere: anyone could otherwise lock any account, the admin's included, by
failing its password five times (issue 13, finding 12). Guessing one username from many
addresses is slowed instead: past MENHIR_LOGIN_MAX_ATTEMPTS failures for it in the window, every
further failed attempt is answered after a delay doubling up to MENHIR_LOGIN_SLOWDOWN_MAX_S
(a failed attempt only: the real user's successful sign-in is never slowed). A successful login
clears the username's counts.
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

USER = "user"  # counted, never locked: the slow-down
PAIR = "user_ip"  # username from one address: locked
IP = "ip"  # one address, whatever the username: locked


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", None) or {}
    return meta.get("REMOTE_ADDR") or None


def _name(username: str) -> str:
    return username.strip().lower()[:150]


def _keys(username: str | None, ip: str | None) -> list[tuple[str, str]]:
    """The counters a failure adds to, the locking ones first."""
    keys = []
    if username and ip:
        keys.append((PAIR, f"{_name(username)}@{ip}"))
    if ip:
        keys.append((IP, ip))
    if username:
        keys.append((USER, _name(username)))
    return keys


def locked_seconds(username: str | None, ip: str | None) -> int:
    """Seconds until this username from this address may try again (0: not locked)."""
    keys = [k for k in _keys(username, ip) if k[0] != USER]
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
        if scope == USER:  # counted for the slow-down, never locked
            row.save()
            continue
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
    name = _name(username)
    LoginThrottle.objects.filter(
        Q(scope=USER, key=name) | Q(scope=PAIR, key__startswith=f"{name}@")
    ).delete()


def slowdown_seconds(username: str | None) -> float:
    """How long to hold the answer to a failed attempt on `username`: 0 up to
    MENHIR_LOGIN_MAX_ATTEMPTS failures in the window (from all addresses), then 0.5 s doubling
    with each further failure, up to MENHIR_LOGIN_SLOWDOWN_MAX_S."""
    if not username:
        return 0.0
    row = LoginThrottle.objects.filter(scope=USER, key=_name(username)).first()
    window = timedelta(seconds=settings.MENHIR_LOGIN_LOCKOUT_S)
    if row is None or timezone.now() - row.window_start > window:
        return 0.0
    extra = row.failures - settings.MENHIR_LOGIN_MAX_ATTEMPTS
    if extra < 0:
        return 0.0
    return float(min(settings.MENHIR_LOGIN_SLOWDOWN_MAX_S, 0.5 * 2 ** min(extra, 16)))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (
        "Too many failed sign-in attempts for this account from this address: "
        f"try again in {minutes} minute{'s' if minutes > 1 else ''}."
    )
