"""The view bases every app's pages use: one access rule, with the operator scoping built in,
and one list page (filter, search, sort, paginate, export).

Who may see a page: any user holding a staff role (read ⊂ edit ⊂ admin) sees everything a page
of that role shows; an operator account sees only pages of models with an operator scope,
narrowed to its own objects (common.scoping), and any other page refuses it. Pages that change
something ask for the edit role, which no operator account holds.

LoginRequiredMiddleware already sends anonymous users to the login page; a logged-in user
without any role is refused, as the API refuses them.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.text import capfirst
from django.views import View

from common.filtersets import BaseFilterSet
from common.forms import FilterForm
from common.roles import READ, has_role, is_operator
from common.scoping import is_scoped, scope
from common.tables import Column, Label, sort_keys

NO_ROLE = "Your account has no Menhir role; ask an administrator."
NOT_FOR_OPERATORS = "Operator accounts see only their own links and incidents."


def check_access(user: Any, model: type[Model] | None, role: str = READ) -> None:
    """Raise PermissionDenied unless `user` may open a page showing `model` objects that needs
    `role` (an operator account passes a read page of a scoped model, and nothing else)."""
    if is_operator(user):
        if role != READ or not is_scoped(model):
            raise PermissionDenied(NOT_FOR_OPERATORS)
    elif not has_role(user, READ):
        raise PermissionDenied(NO_ROLE)
    elif not has_role(user, role):
        raise PermissionDenied(f"This page needs the {role} role.")


class ScopedViewMixin:
    """For class views: the access rule above (`role`, read by default), and `get_object` /
    `scoped()` narrowed to what the user may see (another operator's object is a 404)."""

    request: HttpRequest
    role: ClassVar[str] = READ
    staff_only: ClassVar[bool] = False  # refuse operator accounts even for a scoped model

    def page_model(self) -> type[Model] | None:
        if self.staff_only:
            return None
        model = getattr(self, "model", None)
        if model is None and hasattr(self, "get_queryset"):
            model = self.get_queryset().model
        return model

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        check_access(request.user, self.page_model(), self.role)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def scoped(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scope(queryset, self.request.user)

    def visible_history(self, entries: Any) -> Any:
        """Change history is for staff: an operator account gets none."""
        return [] if is_operator(self.request.user) else entries

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        base = queryset if queryset is not None else self.get_queryset()  # type: ignore[attr-defined]
        return super().get_object(self.scoped(base))  # type: ignore[misc]


def role_required(model: type[Model] | None = None, role: str = READ) -> Any:
    """For function views showing `model` objects and needing `role`: operators pass read
    pages of a scoped model (the view then narrows its querysets with common.scoping.scope)."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            check_access(request.user, model, role)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def read_role_required(view: Any) -> Any:
    """The rule for function views that show no particular model: staff roles only."""
    return role_required()(view)


PAGE_SIZES = (25, 50, 100, 250)
DEFAULT_PAGE_SIZE = 50
LIST_CONTROLS = ("sort", "page", "per_page", "export")  # not filters


def page_size(raw: str | None, notices: list[str]) -> int:
    """The page size asked for, or the default with a notice when it is not one we offer."""
    if not raw:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if size not in PAGE_SIZES:
        notices.append(
            f"Page size {raw!r} is not offered (choose {', '.join(map(str, PAGE_SIZES))}); "
            f"showing {DEFAULT_PAGE_SIZE}."
        )
        return DEFAULT_PAGE_SIZE
    return size


class ObjectListView(ScopedViewMixin, View):
    """A list page. A concrete list gives its model, filterset, filter form, columns and base
    queryset; the filterset does the filtering, so a page's URL is also a valid API query.
    `default_filters` apply when the URL carries no filter at all (the incidents list opens on
    the open ones); `export_formats` and `export()` make the filtered rows a download."""

    model: ClassVar[type[Model]]
    filterset_class: ClassVar[type[BaseFilterSet]]
    filter_form_class: ClassVar[type[FilterForm]]
    columns: ClassVar[tuple[Column, ...]]
    default_sort: ClassVar[str]
    default_filters: ClassVar[dict[str, str]] = {}
    export_formats: ClassVar[tuple[str, ...]] = ()
    title: ClassVar[Label] = ""
    admin_editable: ClassVar[bool] = True  # an "Edit" link per row to the admin's form
    template_name = "common/object_list.html"

    def get_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def export(self, queryset: QuerySet[Any], fmt: str) -> HttpResponse:
        raise NotImplementedError  # only called for a format in export_formats

    def filter_params(self, request: HttpRequest) -> Any:
        params: Any = request.GET
        if self.default_filters and not any(k not in LIST_CONTROLS for k in params):
            params = params.copy()
            params.update(self.default_filters)
        return params

    def get(self, request: HttpRequest) -> HttpResponse:
        notices: list[str] = []
        params = self.filter_params(request)
        filterset = self.filterset_class(
            params, queryset=self.scoped(self.get_queryset()), request=request
        )
        if not filterset.is_valid():
            return self.render(request, params, filterset, None, notices, status=400)
        sort = request.GET.get("sort") or self.default_sort
        keys = sort_keys(self.get_columns())
        if sort.lstrip("-") not in keys:
            notices.append(f"Cannot sort by {sort!r}; sorted by {self.default_sort}.")
            sort = self.default_sort
        ordering = keys[sort.lstrip("-")]
        if sort.startswith("-"):
            ordering = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in ordering)
        queryset = filterset.qs.order_by(*ordering)
        fmt = request.GET.get("export")
        if fmt and self.export_formats:
            if fmt in self.export_formats:
                return self.export(queryset, fmt)
            notices.append(
                f"Unknown export format {fmt!r}: expected {', '.join(self.export_formats)}."
            )
        size = page_size(request.GET.get("per_page"), notices)
        page = Paginator(queryset, size).get_page(request.GET.get("page"))
        return self.render(request, params, filterset, page, notices, sort=sort, per_page=size)

    def get_columns(self) -> tuple[Column, ...]:
        return self.columns

    def row_class(self, obj: Any) -> str:
        """A CSS class for the row (a severity's colour, say)."""
        return ""

    def extra_context(self, page: Any) -> dict[str, Any]:
        """What a concrete list adds to its template's context."""
        return {}

    def render(
        self,
        request: HttpRequest,
        params: Any,
        filterset: BaseFilterSet,
        page: Any,
        notices: list[str],
        *,
        status: int = 200,
        **extra: Any,
    ) -> HttpResponse:
        meta = self.model._meta
        context = {
            "title": self.title or capfirst(meta.verbose_name_plural),
            "model_name": meta.model_name,
            "app_label": meta.app_label,
            "columns": self.get_columns(),
            "form": self.filter_form_class(params, user=request.user),
            "filter_errors": filterset.errors if page is None else {},
            "page": page,
            "rows": [(obj, self.row_class(obj)) for obj in page.object_list] if page else [],
            "admin_editable": self.admin_editable,
            "notices": notices,
            "page_sizes": PAGE_SIZES,
            "exportable": bool(self.export_formats),
            "filtered": any(k not in LIST_CONTROLS for k in request.GET),
            **self.extra_context(page),
            **extra,
        }
        return render(request, self.template_name, context, status=status)
