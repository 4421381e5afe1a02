"""The authentication backend: Django's, refusing every attempt while the username or the
client address is locked out (core.throttle), whatever the login form (UI, admin)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from core import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if throttle.locked_seconds(username, throttle.client_ip(request)):
            # Stops the backend chain; Django then sends user_login_failed (audited).
            raise PermissionDenied("locked out")
        return super().authenticate(request, username=username, password=password, **kwargs)
