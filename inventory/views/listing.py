"""The list page shared by every inventory model: filter, search, sort, paginate, export.

A concrete list gives its model, filterset, filter form, columns and base queryset; the
filterset does the filtering, so a page's URL is also a valid API query.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.views import View

from common.filenames import attachment
from common.filtersets import BaseFilterSet
from inventory.filter_forms import FilterForm
from inventory.tables import Column, sort_keys
from inventory.views.access import ReadRoleRequiredMixin

PAGE_SIZES = (25, 50, 100, 250)
DEFAULT_PAGE_SIZE = 50
EXPORT_FORMATS = ("csv",)


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


def export_response(name: str, queryset: QuerySet[Any], fmt: str) -> HttpResponse:
    """The filtered rows as a download, in the columns the importer reads back."""
    # Imported when used: inventory.exporters belongs to the import/export module.
    from inventory.exporters import export_queryset

    body = export_queryset(name, queryset, fmt)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(f"{name}.{fmt}")
    return response


class ObjectListView(ReadRoleRequiredMixin, View):
    model: ClassVar[type[Model]]
    filterset_class: ClassVar[type[BaseFilterSet]]
    filter_form_class: ClassVar[type[FilterForm]]
    columns: ClassVar[tuple[Column, ...]]
    default_sort: ClassVar[str]
    # The exporter's name for this model ("establishments"…); empty: no export button.
    export_name: ClassVar[str] = ""
    template_name = "inventory/object_list.html"

    def get_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def get(self, request: HttpRequest) -> HttpResponse:
        notices: list[str] = []
        filterset = self.filterset_class(request.GET, queryset=self.scoped(self.get_queryset()))
        if not filterset.is_valid():
            return self.render(request, filterset, None, notices, status=400)
        sort = request.GET.get("sort") or self.default_sort
        keys = sort_keys(self.columns)
        if sort.lstrip("-") not in keys:
            notices.append(f"Cannot sort by {sort!r}; sorted by {self.default_sort}.")
            sort = self.default_sort
        ordering = keys[sort.lstrip("-")]
        if sort.startswith("-"):
            ordering = tuple(f"-{o}" for o in ordering)
        queryset = filterset.qs.order_by(*ordering)
        fmt = request.GET.get("export")
        if fmt and self.export_name:
            if fmt in EXPORT_FORMATS:
                return export_response(self.export_name, queryset, fmt)
            notices.append(f"Unknown export format {fmt!r}: expected {', '.join(EXPORT_FORMATS)}.")
        size = page_size(request.GET.get("per_page"), notices)
        page = Paginator(queryset, size).get_page(request.GET.get("page"))
        return self.render(request, filterset, page, notices, sort=sort, per_page=size)

    def render(
        self,
        request: HttpRequest,
        filterset: BaseFilterSet,
        page: Any,
        notices: list[str],
        *,
        status: int = 200,
        **extra: Any,
    ) -> HttpResponse:
        meta = self.model._meta
        context = {
            "title": capfirst(meta.verbose_name_plural),
            "model_name": meta.model_name,
            "app_label": meta.app_label,
            "columns": self.columns,
            "form": self.filter_form_class(request.GET, user=request.user),
            "filter_errors": filterset.errors if page is None else {},
            "page": page,
            "notices": notices,
            "page_sizes": PAGE_SIZES,
            "exportable": bool(self.export_name),
            "filtered": any(k not in ("sort", "page", "per_page") for k in request.GET),
            **extra,
        }
        return render(request, self.template_name, context, status=status)
