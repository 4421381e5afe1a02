"""The filter forms shown above the lists: their field names are the filtersets' parameters.

They only draw the controls; the filtersets (inventory/filtersets.py) validate and filter, so the
web pages and the API accept exactly the same parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.scoping import scope
from inventory import choices as c
from inventory import models as m

ANY = ("", "Any")


def _choices(pairs: Iterable[tuple[Any, str]]) -> list[tuple[Any, str]]:
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
    q = forms.CharField(label="Search", required=False)


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
        field.choices = _choices(pairs)


def departments(form: FilterForm) -> list[tuple[str, str]]:
    return [(d.code, str(d)) for d in form.visible(m.Department.objects.all())]


def operators(form: FilterForm) -> list[tuple[str, str]]:
    return list(form.visible(m.Operator.objects.all()).values_list("slug", "name"))


def pops(form: FilterForm) -> list[tuple[str, str]]:
    return list(form.visible(m.Pop.objects.all()).values_list("slug", "name"))


class EstablishmentFilterForm(FilterForm):
    category = forms.ChoiceField(choices=_choices(c.EstablishmentCategory.choices))
    commune__department = forms.ChoiceField(label="Department")
    commune = forms.ChoiceField(label="Commune")
    status = forms.ChoiceField(choices=_choices(c.Status.choices))
    criticality = forms.ChoiceField(choices=_choices(c.Criticality.choices))
    operator = forms.ChoiceField()
    pop = forms.ChoiceField(label="PoP")
    tenant = forms.ChoiceField()

    def load_choices(self) -> None:
        self.set_choices("commune__department", departments(self))
        communes = (
            self.visible(m.Commune.objects.all())
            .filter(establishments__isnull=False)
            .distinct()
            .order_by("name", "insee")
            .values_list("insee", "name", "department__code")
        )
        self.set_choices("commune", [(i, f"{n} ({d})") for i, n, d in communes])
        self.set_choices("operator", operators(self))
        self.set_choices("pop", pops(self))
        self.set_choices("tenant", self.visible(m.Tenant.objects.all()).values_list("slug", "name"))


class DeviceFilterForm(FilterForm):
    role = forms.ChoiceField(choices=_choices(c.DeviceRole.choices))
    platform = forms.ChoiceField(choices=_choices(c.Platform.choices[:-1]))
    status = forms.ChoiceField(choices=_choices(c.Status.choices))
    commune__department = forms.ChoiceField(label="Department")
    pop = forms.ChoiceField(label="PoP")

    def load_choices(self) -> None:
        self.set_choices("commune__department", departments(self))
        self.set_choices("pop", pops(self))


class LinkFilterForm(FilterForm):
    technology = forms.ChoiceField(choices=_choices(c.LinkTechnology.choices))
    role = forms.ChoiceField(choices=_choices(c.LinkRole.choices))
    status = forms.ChoiceField(choices=_choices(c.Status.choices))
    operator = forms.ChoiceField()
    contract = forms.ChoiceField()
    pop = forms.ChoiceField(label="PoP")
    commune__department = forms.ChoiceField(label="Department")

    def load_choices(self) -> None:
        self.set_choices("operator", operators(self))
        self.set_choices(
            "contract", self.visible(m.Contract.objects.all()).values_list("reference", "reference")
        )
        self.set_choices("pop", pops(self))
        self.set_choices("commune__department", departments(self))


class PopFilterForm(FilterForm):
    kind = forms.ChoiceField(choices=_choices(c.PopKind.choices))
    status = forms.ChoiceField(choices=_choices(c.Status.choices))
    commune__department = forms.ChoiceField(label="Department")

    def load_choices(self) -> None:
        self.set_choices("commune__department", departments(self))


class ContractFilterForm(FilterForm):
    operator = forms.ChoiceField()

    def load_choices(self) -> None:
        self.set_choices("operator", operators(self))
