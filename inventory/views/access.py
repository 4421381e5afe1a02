"""Who may see the inventory's pages: any user holding a role (read ⊂ edit ⊂ admin).

LoginRequiredMiddleware already sends anonymous users to the login page; a logged-in user
without any role is refused, as the API refuses them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from common.roles import READ, has_role


class ReadRoleRequiredMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not has_role(request.user, READ):
            raise PermissionDenied("Your account has no Menhir role; ask an administrator.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def read_role_required(view: Any) -> Any:
    """The same rule for function views."""
    from functools import wraps

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not has_role(request.user, READ):
            raise PermissionDenied("Your account has no Menhir role; ask an administrator.")
        return view(request, *args, **kwargs)

    return wrapped
