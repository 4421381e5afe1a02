"""The language a request is answered in: a signed-in user's own choice, kept in their session
from login on (no query per request), else what LocaleMiddleware chose from Accept-Language, else
the site's default (MENHIR_LANGUAGE)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Runs after LocaleMiddleware (which has chosen from Accept-Language, for anonymous pages:
    login, the acknowledgement links sent by e-mail) and after authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(SESSION_KEY)
            if language is None:  # once per session: the choice is kept in it
                language = request.session[SESSION_KEY] = user_language(user)
            previous = translation.get_language()
            translation.activate(language)
            request.LANGUAGE_CODE = language
            try:
                response = self.get_response(request)
            finally:  # the thread goes back to what it read before (tests, shared threads)
                translation.activate(previous)
            response.headers.setdefault("Content-Language", language)
            return response
        return self.get_response(request)


SESSION_KEY = "menhir_language"


def user_language(user: Any) -> str:
    """The language `user` reads Menhir in: their stored choice, else the site's default."""
    from core.models import UserPreference

    try:
        return UserPreference.objects.values_list("language", flat=True).get(user=user)
    except UserPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


@receiver(user_logged_in)
def _remember_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_language(user)
