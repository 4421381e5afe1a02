"""Text search that ignores case and accents: `lycee`, `HOPITAL` and `lycée brest` find
"Lycée …" in Brest. PostgreSQL folds both sides with `menhir_fold(text)` (lower-case, then
`unaccent`; an IMMUTABLE wrapper created by inventory's migration 0008, so trigram indexes can
use it). Every word of the query must match one of the fields; a field's path may cross
relations.

The API's `?q=` (common.filtersets.BaseFilterSet.search), the list pages' search box and the
global search (dashboards.search) all match through `matching()`, so they agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, Func, Q, QuerySet, TextField, Value

MAX_WORDS = 8  # a query is a few words; more is a paste, and each word costs a condition


class Fold(Func):
    """menhir_fold(expression): lower-case and without accents."""

    function = "menhir_fold"
    output_field = TextField()


def words(text: str) -> list[str]:
    return text.split()[:MAX_WORDS]


def fold_alias(index: int) -> str:
    return f"_folded_{index}"


def folded(paths: Sequence[str], text: str) -> tuple[dict[str, Fold], Q]:
    """The aliases to add to a queryset and the condition: every word of `text` is inside
    one of the fields at `paths` (folded). An empty text is no condition."""
    aliases = {fold_alias(i): Fold(F(p)) for i, p in enumerate(paths)}
    condition = Q()
    for term in words(text):
        any_field = Q()
        for alias in aliases:
            any_field |= Q(**{f"{alias}__contains": Fold(Value(term))})
        condition &= any_field
    return aliases, condition


def matching(queryset: QuerySet[Any], paths: Sequence[str], text: str) -> QuerySet[Any]:
    """`queryset` narrowed to the rows matching `text` (callers that cross a to-many relation
    add `.distinct()`)."""
    if not words(text) or not paths:
        return queryset
    aliases, condition = folded(paths, text)
    return queryset.alias(**aliases).filter(condition)
