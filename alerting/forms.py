"""Forms of the ticket and maintenance pages. Related objects are typed by their key (a circuit
id, an establishment code, PoP slugs, device names) rather than picked from lists of thousands.
Times are entered in local time (the server's time zone, Europe/Paris by default)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from alerting import models as m
from alerting.filtersets import IncidentState
from common.forms import FilterForm, choices_with_any
from inventory.choices import EstablishmentCategory
from inventory.models import Department, Device, Establishment, Link, Operator, Pop

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def local_time(label: str | None = None, required: bool = False) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    return forms.DateTimeField(label=label, required=required, widget=widget)


class KeysField(forms.CharField):
    """Several objects by natural key, separated by commas or spaces; unknown keys are named."""

    def __init__(self, model: type[Model], key: str, **kwargs: Any) -> None:
        self.model, self.key = model, key
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> list[Model]:
        keys = [k for k in re.split(r"[,\s]+", super().clean(value) or "") if k]
        found = {
            getattr(o, self.key): o
            for o in self.model._default_manager.filter(**{f"{self.key}__in": keys})
        }
        unknown = [k for k in keys if k not in found]
        if unknown:
            raise forms.ValidationError(f"Unknown: {', '.join(unknown)}.")
        return [found[k] for k in dict.fromkeys(keys)]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(getattr(o, self.key, o)) for o in value)
        return value


class TicketForm(forms.ModelForm[m.Ticket]):
    circuit = forms.CharField(
        label=_("Circuit id"), required=False, help_text=_("the operator's circuit id of the link")
    )
    establishment_code = forms.CharField(
        label=_("Establishment code"),
        required=False,
        help_text=_("filled from the link when empty"),
    )
    opened_at = local_time("Opened at", required=True)
    fault_start = local_time("Fault start")
    acknowledged_at = local_time("Acknowledged at")
    restored_at = local_time("Declared restored at")
    closed_at = local_time("Closed at")

    class Meta:
        model = m.Ticket
        fields = [
            "operator", "reference", "opened_at", "fault_start", "acknowledged_at", "restored_at",
            "closed_at", "cause", "imputability", "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    field_order = ["operator", "reference", "circuit", "establishment_code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticket = self.instance
        if ticket.pk and ticket.link_id:
            self.initial["circuit"] = ticket.link.circuit_id  # type: ignore[union-attr]
        if ticket.pk and ticket.establishment_id:
            self.initial["establishment_code"] = ticket.establishment.code  # type: ignore[union-attr]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        operator, circuit = data.get("operator"), (data.get("circuit") or "").strip()
        self.instance.link = None
        if circuit and operator is not None:
            link = Link.objects.filter(operator=operator, circuit_id=circuit).first()
            if link is None:
                self.add_error("circuit", f"{operator} has no circuit {circuit!r}.")
            self.instance.link = link
        code = (data.get("establishment_code") or "").strip()
        self.instance.establishment = None
        if code:
            site = Establishment.objects.filter(code=code).first()
            if site is None:
                self.add_error("establishment_code", f"No establishment {code!r}.")
            self.instance.establishment = site
        return data


class SuspensionForm(forms.ModelForm[m.TicketSuspension]):
    start = local_time("Start", required=True)
    end = local_time("End", required=True)

    class Meta:
        model = m.TicketSuspension
        fields = ["start", "end", "reason", "decision"]


class ReopeningForm(forms.ModelForm[m.TicketReopening]):
    at = local_time("Reopened at", required=True)
    restored_at = local_time("Declared restored at")

    class Meta:
        model = m.TicketReopening
        fields = ["at", "restored_at", "reason"]


class MaintenanceWindowForm(forms.ModelForm[m.MaintenanceWindow]):
    planned_start = local_time("Planned start", required=True)
    planned_end = local_time("Planned end", required=True)
    notified_at = local_time("Notified at", required=True)
    pops = KeysField(Pop, "slug", label=_("PoPs"), help_text=_("slugs, e.g. quimper, brest"))
    devices = KeysField(Device, "name", label=_("Devices"), help_text=_("names"))
    links = KeysField(Link, "circuit_id", label=_("Links"), help_text=_("circuit ids"))

    class Meta:
        model = m.MaintenanceWindow
        fields = [
            "title", "reference", "operator", "pops", "devices", "links", "planned_start",
            "planned_end", "notified_at", "curative", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("pops", "devices", "links"):
                self.initial[name] = list(getattr(self.instance, name).all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        operator = data.get("operator")
        others = [
            k.circuit_id
            for k in data.get("links") or []
            if operator and k.operator_id != operator.pk
        ]
        if others:
            self.add_error("links", f"Not {operator}'s: {', '.join(others)}.")
        return data


class TicketReferenceForm(forms.Form):
    reference = forms.CharField(label=_("Operator ticket"), max_length=100)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("tickets", _("Trouble tickets")), ("maintenance", _("Maintenance notices"))],
    )
    operator = forms.ModelChoiceField(
        label=_("Operator"), queryset=Operator.objects.order_by("name")
    )
    timezone = forms.CharField(
        label=_("Timezone"),
        required=False,
        max_length=60,
        help_text=_(
            "for times written without an offset, e.g. Europe/Paris; empty: such times are refused"
        ),
    )
    file = forms.FileField(label=_("CSV export"))


class IncidentFilterForm(FilterForm):
    """The incidents list's filter controls (alerting.filtersets.IncidentFilterSet filters)."""

    state = forms.ChoiceField(label=_("State"), choices=choices_with_any(IncidentState.choices))
    severity = forms.ChoiceField(label=_("Severity"), choices=choices_with_any(m.Severity.choices))
    kind = forms.ChoiceField(label=_("Kind"), choices=choices_with_any(m.IncidentKind.choices))
    operator = forms.ChoiceField(label=_("Operator"))
    pop = forms.ChoiceField(label=_("PoP"))
    department = forms.ChoiceField(label=_("Department"))
    category = forms.ChoiceField(
        label=_("Category of an impacted site"),
        choices=choices_with_any(EstablishmentCategory.choices),
    )
    start__gte = forms.DateField(
        label=_("Started from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start__lt = forms.DateField(
        label=_("Started before"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def load_choices(self) -> None:
        self.set_choices(
            "operator", self.visible(Operator.objects.all()).values_list("slug", "name")
        )
        self.set_choices("pop", self.visible(Pop.objects.all()).values_list("slug", "name"))
        self.set_choices(
            "department", [(d.code, str(d)) for d in self.visible(Department.objects.all())]
        )


class TicketFilterForm(FilterForm):
    operator = forms.ChoiceField(label=_("Operator"))
    closed = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any")), ("false", _("Open")), ("true", _("Closed"))]
    )
    imputability = forms.ChoiceField(
        label=_("Imputability"), choices=choices_with_any(m.Imputability.choices)
    )

    def load_choices(self) -> None:
        self.set_choices(
            "operator", self.visible(Operator.objects.all()).values_list("slug", "name")
        )


class MaintenanceFilterForm(FilterForm):
    operator = forms.ChoiceField(label=_("Operator"))
    active_at = forms.DateTimeField(
        label=_("Active at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def load_choices(self) -> None:
        self.set_choices(
            "operator", self.visible(Operator.objects.all()).values_list("slug", "name")
        )
