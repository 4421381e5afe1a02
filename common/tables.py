"""Columns of the list pages: what each shows, and the ORM ordering behind a sort."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrPromise

# A user-visible text: a plain string, or one translated when it is shown (gettext_lazy).
Label = str | StrPromise


@dataclass(frozen=True)
class Column:
    """One column: `attr` is a dotted path on the row object, `order_by` makes it sortable."""

    attr: str
    label: Label
    order_by: tuple[str, ...] = ()
    link: bool = False  # link the cell to the row object's page
    format: Callable[[Any], str] | None = None
    # The whole cell drawn from the row (badges, several links); returns safe HTML.
    render: Callable[[Any], str] | None = None
    numeric: bool = False  # right-aligned, tabular figures

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)

    def raw(self, obj: Any) -> Any:
        *path, last = self.attr.split(".")
        for part in path:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        display = getattr(obj, f"get_{last}_display", None)
        return display() if callable(display) else getattr(obj, last, None)


def sort_keys(columns: Sequence[Column]) -> dict[str, tuple[str, ...]]:
    """Public sort name (the column's attr) → ORM ordering, for the sortable columns."""
    return {c.attr: c.order_by for c in columns if c.sortable}
