"""API token authentication: `Authorization: Token <key>`, looked up by the key's hash."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from core import audit, throttle
from core.models import AuditKind, Token, hash_token


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: expected 'Token <key>'.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header: not ASCII.") from None
        token = Token.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None:
            # Guessing keys counts against the address like failed logins (nothing of the key
            # is recorded); a locked address gets 429. A valid key (160 random bits, never
            # guessed) costs no extra query.
            ip = throttle.client_ip(request)
            wait = throttle.locked_seconds(None, ip)
            if wait:
                raise exceptions.Throttled(wait, throttle.lockout_message(wait))
            if throttle.record_failure(None, ip):
                audit.record(AuditKind.LOCKOUT, request, detail="address locked (API tokens)")
            audit.record(AuditKind.TOKEN_FAILED, request)
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.is_expired:
            raise exceptions.AuthenticationFailed("Token expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive.")
        now = timezone.now()
        if token.last_used is None or (now - token.last_used).total_seconds() > 60:
            Token.objects.filter(pk=token.pk).update(last_used=now)
        # Let the change log see who this is (the middleware ran before DRF authenticated).
        request._request._menhir_api_user = token.user  # type: ignore[attr-defined]
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
