"""The API's filter backend: builds only the filters a request uses.

A NetBox-style filterset declares a few hundred filters (every lookup of every field); building
and validating all of them for each request costs more than the query itself. Filters absent
from the query string filter nothing, so a filterset narrowed to the parameters present gives
the same result, and the narrowed classes are cached per set of parameter names.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Query parameters that are not filters: paging, ordering, the renderer's format.
NOT_FILTERS = frozenset({"limit", "offset", "ordering", "format"})


@lru_cache(maxsize=512)
def narrowed(filterset_class: type[Any], names: frozenset[str]) -> type[Any]:
    metaclass: Any = type(filterset_class)
    narrow = metaclass(filterset_class.__name__, (filterset_class,), {})
    narrow.base_filters = {
        name: flt for name, flt in filterset_class.base_filters.items() if name in names
    }
    return narrow


def refuse_unknown(params: Any, known: frozenset[str] | set[str]) -> None:
    """A query parameter that is neither a filter of the list nor one of NOT_FILTERS is a 400
    naming it: a misspelt `?opertor=` must not silently return the whole list."""
    unknown = sorted(set(params) - set(known) - NOT_FILTERS)
    if unknown:
        raise ValidationError({name: [_("Unknown filter.")] for name in unknown})


class UsedFiltersBackend(DjangoFilterBackend):
    """Also strict: a parameter that is no filter of the list is a 400 naming it (a misspelt
    `?opertor=` must not silently return the whole list)."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not getattr(view, "swagger_fake_view", False):
            refuse_unknown(request.query_params, frozenset(filterset_class.base_filters))
        return super().filter_queryset(request, queryset, view)

    def get_filterset_class(self, view: Any, queryset: Any = None) -> Any:
        filterset_class = super().get_filterset_class(view, queryset)
        request = getattr(view, "request", None)
        if filterset_class is None or request is None or getattr(view, "swagger_fake_view", False):
            return filterset_class
        names = frozenset(request.query_params) & frozenset(filterset_class.base_filters)
        return narrowed(filterset_class, names)
