"""Who may see the pages: any user holding a staff role (read ⊂ edit ⊂ admin) sees everything;
an operator account sees only pages of models with an operator scope, narrowed to its own
objects (common.scoping), and any other page refuses it.

LoginRequiredMiddleware already sends anonymous users to the login page; a logged-in user
without any role is refused, as the API refuses them.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseBase

from common.roles import READ, has_role, is_operator
from common.scoping import is_scoped, scope

NO_ROLE = "Your account has no Menhir role; ask an administrator."
NOT_FOR_OPERATORS = "Operator accounts see only their own links and incidents."


def check_access(user: Any, model: type[Model] | None) -> None:
    """Raise PermissionDenied unless `user` may open a page showing `model` objects."""
    if is_operator(user):
        if not is_scoped(model):
            raise PermissionDenied(NOT_FOR_OPERATORS)
    elif not has_role(user, READ):
        raise PermissionDenied(NO_ROLE)


class ReadRoleRequiredMixin:
    """For class views: the access rule above, and `get_object` / `scoped()` narrowed to what
    the user may see (another operator's object is a 404)."""

    request: HttpRequest

    def page_model(self) -> type[Model] | None:
        model = getattr(self, "model", None)
        if model is None and hasattr(self, "get_queryset"):
            model = self.get_queryset().model
        return model

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        check_access(request.user, self.page_model())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def scoped(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scope(queryset, self.request.user)

    def visible_history(self, entries: Any) -> Any:
        """Change history is for staff: an operator account gets none."""
        return [] if is_operator(self.request.user) else entries

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        base = queryset if queryset is not None else self.get_queryset()  # type: ignore[attr-defined]
        return super().get_object(self.scoped(base))  # type: ignore[misc]


def read_role_required(view: Any) -> Any:
    """The same rule for function views that show no particular model: staff roles only."""
    return role_required()(view)


def role_required(model: type[Model] | None = None) -> Any:
    """For function views showing `model` objects: operators pass when that model is scoped
    (the view then narrows its querysets with common.scoping.scope)."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            check_access(request.user, model)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
