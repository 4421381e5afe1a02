"""The inventory lists' filter forms (common.forms draws them; the filtersets filter)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import FilterForm, choices_with_any
from inventory import choices as c
from inventory import models as m


def departments(form: FilterForm) -> list[tuple[str, str]]:
    return [(d.code, str(d)) for d in form.visible(m.Department.objects.all())]


def operators(form: FilterForm) -> list[tuple[str, str]]:
    return list(form.visible(m.Operator.objects.all()).values_list("slug", "name"))


def pops(form: FilterForm) -> list[tuple[str, str]]:
    return list(form.visible(m.Pop.objects.all()).values_list("slug", "name"))


class EstablishmentFilterForm(FilterForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=choices_with_any(c.EstablishmentCategory.choices)
    )
    commune__department = forms.ChoiceField(label=_("Department"))
    commune = forms.CharField(
        label=_("Commune"),
        help_text=_("Type a name: suggestions come as you type (the INSEE code is sent)."),
        widget=forms.TextInput(
            attrs={
                "list": "commune-suggestions",
                "autocomplete": "off",
                "inputmode": "search",
                "data-suggest": "/api/inventory/communes/?limit=20&q=",
                "placeholder": _("e.g. Brest"),
            }
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=choices_with_any(c.Status.choices))
    criticality = forms.ChoiceField(
        label=_("Criticality"), choices=choices_with_any(c.Criticality.choices)
    )
    operator = forms.ChoiceField(label=_("Operator"))
    pop = forms.ChoiceField(label=_("PoP"))
    tenant = forms.ChoiceField(label=_("Tenant"))

    def load_choices(self) -> None:
        self.set_choices("commune__department", departments(self))
        self.set_choices("operator", operators(self))
        self.set_choices("pop", pops(self))
        self.set_choices("tenant", self.visible(m.Tenant.objects.all()).values_list("slug", "name"))


class DeviceFilterForm(FilterForm):
    role = forms.ChoiceField(label=_("Role"), choices=choices_with_any(c.DeviceRole.choices))
    platform = forms.ChoiceField(
        label=_("Platform"), choices=choices_with_any(c.Platform.choices[:-1])
    )
    status = forms.ChoiceField(label=_("Status"), choices=choices_with_any(c.Status.choices))
    probe_method = forms.ChoiceField(
        label=_("Probe method"), choices=choices_with_any(c.ProbeMethod.choices)
    )
    commune__department = forms.ChoiceField(label=_("Department"))
    pop = forms.ChoiceField(label=_("PoP"))

    def load_choices(self) -> None:
        self.set_choices("commune__department", departments(self))
        self.set_choices("pop", pops(self))


class LinkFilterForm(FilterForm):
    technology = forms.ChoiceField(
        label=_("Technology"), choices=choices_with_any(c.LinkTechnology.choices)
    )
    role = forms.ChoiceField(label=_("Role"), choices=choices_with_any(c.LinkRole.choices))
    status = forms.ChoiceField(label=_("Status"), choices=choices_with_any(c.Status.choices))
    operator = forms.ChoiceField(label=_("Operator"))
    contract = forms.ChoiceField(label=_("Contract"))
    pop = forms.ChoiceField(label=_("PoP"))
    commune__department = forms.ChoiceField(label=_("Department"))

    def load_choices(self) -> None:
        self.set_choices("operator", operators(self))
        self.set_choices(
            "contract", self.visible(m.Contract.objects.all()).values_list("reference", "reference")
        )
        self.set_choices("pop", pops(self))
        self.set_choices("commune__department", departments(self))


class PopFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=choices_with_any(c.PopKind.choices))
    status = forms.ChoiceField(label=_("Status"), choices=choices_with_any(c.Status.choices))
    commune__department = forms.ChoiceField(label=_("Department"))

    def load_choices(self) -> None:
        self.set_choices("commune__department", departments(self))


class ContractFilterForm(FilterForm):
    operator = forms.ChoiceField(label=_("Operator"))

    def load_choices(self) -> None:
        self.set_choices("operator", operators(self))
