"""Template context: the user's role, so templates show edit links only to editors."""

from __future__ import annotations

from django.http import HttpRequest

from common.roles import EDIT, has_role, user_role


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {"menhir_role": user_role(user), "can_edit": has_role(user, EDIT)}
