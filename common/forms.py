"""The filter forms drawn above the list pages: their field names are the filtersets' parameters.

They only draw the controls; the filtersets validate and filter, so the web pages and the API
accept exactly the same parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from common.scoping import scope
from common.tables import Label

ANY: tuple[Any, Label] = ("", _("Any"))


def choices_with_any(pairs: Iterable[tuple[Any, Label]]) -> list[tuple[Any, Label]]:
    return [ANY, *pairs]


class FastSelect(forms.Select):
    """A select drawn in Python: Django's per-option templates take a second for 1,000 communes."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) in chosen else "", label) for v, label in self.choices),
        )
        final = self.build_attrs(self.attrs, attrs or {})
        return format_html(
            '<select name="{}" id="{}">{}</select>', name, final.get("id", f"id_{name}"), options
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)


class FilterForm(SearchForm):
    """Every filter is optional; choices from the database are loaded when the form is built."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.ChoiceField):
                field.widget = FastSelect()
                field.widget.choices = field.choices
        self.load_choices()

    def load_choices(self) -> None:
        """Subclasses fill the choices that come from the database."""

    def visible(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Choices are objects too: an operator account is offered only its own."""
        return scope(queryset, self.user)

    def set_choices(self, name: str, pairs: Iterable[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices_with_any(pairs)
