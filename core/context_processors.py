"""Template context: the user's role, so templates show edit links only to editors."""

from __future__ import annotations

from django.http import HttpRequest

from common.roles import EDIT, ROLE_LABELS, has_role, user_role


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = user_role(user)
    return {
        "menhir_role": role,
        "menhir_role_label": ROLE_LABELS.get(role, "") if role else "",
        "can_edit": has_role(user, EDIT),
    }
