"""Attach the requesting user to every change made while serving a request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from common.changes import change_context


class ChangeContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        # DRF authenticates tokens inside the view, after this runs: the context reads the
        # user lazily from the request (see common.api.views.ChangeLoggedViewSet).
        with change_context(user=_LazyUser(request), source=source):
            return self.get_response(request)


class _LazyUser:
    """The request's user, resolved when a change is recorded (after DRF's authentication)."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def _user(self) -> object:
        drf_user = getattr(self._request, "_menhir_api_user", None)
        return drf_user if drf_user is not None else getattr(self._request, "user", None)

    @property
    def pk(self) -> object:
        user = self._user()
        return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None

    @property
    def username(self) -> str:
        return str(getattr(self._user(), "username", ""))

    def resolve(self) -> object:
        return self._user()
