"""The Django admin for every inventory model: where editing happens until the UI has forms.

SNMP secrets never leave the server: the list shows none, and the change form has write-only
password inputs that keep the stored value when left empty.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from common.admin import DecisionAdmin
from inventory import models as m


@admin.register(m.Department)
class DepartmentAdmin(admin.ModelAdmin[m.Department]):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(m.Commune)
class CommuneAdmin(admin.ModelAdmin[m.Commune]):
    list_display = ("name", "insee", "department", "population")
    list_filter = ("department",)
    search_fields = ("name", "insee")
    list_select_related = ("department",)


@admin.register(m.Tenant)
class TenantAdmin(admin.ModelAdmin[m.Tenant]):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ContactInline(admin.TabularInline[m.Contact, Any]):
    model = m.Contact
    extra = 0
    fields = ("name", "role", "email", "phone")


@admin.register(m.Establishment)
class EstablishmentAdmin(admin.ModelAdmin[m.Establishment]):
    list_display = ("code", "name", "category", "commune", "status", "criticality", "tenant")
    list_filter = ("category", "status", "criticality", "commune__department")
    search_fields = ("code", "name", "commune__name", "address")
    list_select_related = ("commune", "tenant")
    autocomplete_fields = ("commune", "tenant", "tags")
    inlines = (ContactInline,)


@admin.register(m.Contact)
class ContactAdmin(admin.ModelAdmin[m.Contact]):
    list_display = ("name", "role", "email", "phone", "establishment", "operator")
    list_filter = ("role",)
    search_fields = ("name", "email", "phone")
    list_select_related = ("establishment", "operator")
    autocomplete_fields = ("establishment", "operator")


@admin.register(m.Operator)
class OperatorAdmin(admin.ModelAdmin[m.Operator]):
    list_display = ("name", "slug", "noc_email", "noc_phone")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("tags",)


class ServiceClassInline(admin.StackedInline[m.ServiceClass, Any]):
    model = m.ServiceClass
    extra = 0
    exclude = ("tags",)


@admin.register(m.Contract)
class ContractAdmin(admin.ModelAdmin[m.Contract]):
    list_display = ("reference", "title", "operator", "lot", "start_date", "end_date")
    list_filter = ("operator",)
    search_fields = ("reference", "title", "lot")
    list_select_related = ("operator",)
    autocomplete_fields = ("operator", "tags")
    inlines = (ServiceClassInline,)


@admin.register(m.ServiceClass)
class ServiceClassAdmin(admin.ModelAdmin[m.ServiceClass]):
    list_display = (
        "name",
        "contract",
        "effective_from",
        "effective_to",
        "availability_target_pct",
        "gtr_minutes",
        "gti_minutes",
    )
    list_filter = ("contract__operator", "availability_schedule", "gtr_clock")
    search_fields = ("name", "slug", "contract__reference")
    list_select_related = ("contract",)
    autocomplete_fields = ("contract", "tags")


@admin.register(m.Pop)
class PopAdmin(admin.ModelAdmin[m.Pop]):
    list_display = ("name", "kind", "commune", "parent", "status")
    list_filter = ("kind", "status", "commune__department")
    search_fields = ("name", "slug", "commune__name")
    list_select_related = ("commune", "parent")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("commune", "parent", "tags")


SECRET_HELP = "Write-only: leave empty to keep the stored value."


class SNMPProfileForm(forms.ModelForm[m.SNMPProfile]):
    """Secrets are typed in, never shown back; an empty input keeps what is stored."""

    community = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), help_text=SECRET_HELP
    )
    auth_key = forms.CharField(
        label="Auth key",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=SECRET_HELP,
    )
    priv_key = forms.CharField(
        label="Privacy key",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=SECRET_HELP,
    )
    clear_secrets = forms.MultipleChoiceField(
        label="Erase stored secrets",
        required=False,
        choices=[("community", "community"), ("auth_key", "auth key"), ("priv_key", "privacy key")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick to erase a secret (e.g. the community when moving to SNMPv3).",
    )

    class Meta:
        model = m.SNMPProfile
        fields = (
            "name",
            "version",
            "community",
            "username",
            "auth_protocol",
            "auth_key",
            "priv_protocol",
            "priv_key",
            "port",
            "timeout_ms",
            "retries",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nothing secret reaches the page, not even as the form's initial data.
        for name in m.SNMPProfile.secret_fields:
            self.initial.pop(name, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        erase = set(data.get("clear_secrets") or ())
        for name in m.SNMPProfile.secret_fields:
            typed = data.get(name) or ""
            if name in erase:
                if typed:
                    self.add_error(name, "Type a new value or tick “erase”, not both.")
                data[name] = ""
            elif not typed:
                data[name] = getattr(self.instance, name) or ""
        return data


@admin.register(m.SNMPProfile)
class SNMPProfileAdmin(DecisionAdmin):
    admin_only_fields = ("allowed_networks",)  # where the secrets may go: admins decide

    form = SNMPProfileForm
    list_display = ("name", "version", "username", "auth_protocol", "priv_protocol", "port")
    list_filter = ("version",)
    search_fields = ("name", "username")
    fieldsets = (
        (None, {"fields": ("name", "version", "port", "timeout_ms", "retries")}),
        ("SNMPv2c", {"fields": ("community",)}),
        (
            "SNMPv3",
            {"fields": ("username", "auth_protocol", "auth_key", "priv_protocol", "priv_key")},
        ),
        ("Where the secrets may go (administrators)", {"fields": ("allowed_networks",)}),
        ("Erase", {"fields": ("clear_secrets",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A view-only admin page would print the clear values: never make secrets read-only;
        # only the address scope is, below the admin role.
        return super().get_readonly_fields(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing without change permission renders fields as text: allow only who may change.
        return self.has_change_permission(request, obj)


class InterfaceInline(admin.TabularInline[m.Interface, Any]):
    model = m.Interface
    extra = 0
    fields = ("if_index", "name", "type", "speed_bps", "role", "enabled", "description")
    show_change_link = True


@admin.register(m.Device)
class DeviceAdmin(admin.ModelAdmin[m.Device]):
    list_display = (
        "name",
        "role",
        "platform",
        "management_address",
        "establishment",
        "pop",
        "status",
        "probe_method",
    )
    list_filter = ("role", "platform", "status", "probe_method", "pop")
    search_fields = ("name", "serial", "management_address", "establishment__code")
    list_select_related = ("establishment", "pop")
    autocomplete_fields = ("establishment", "pop", "snmp_profile", "tags")
    inlines = (InterfaceInline,)


@admin.register(m.Interface)
class InterfaceAdmin(admin.ModelAdmin[m.Interface]):
    list_display = ("device", "name", "if_index", "type", "speed_bps", "role", "enabled")
    list_filter = ("role", "type", "enabled")
    search_fields = ("name", "device__name", "description")
    list_select_related = ("device",)
    raw_id_fields = ("device",)


@admin.register(m.Link)
class LinkAdmin(admin.ModelAdmin[m.Link]):
    list_display = (
        "circuit_id",
        "operator",
        "technology",
        "role",
        "establishment",
        "committed_down_bps",
        "contract",
        "status",
    )
    list_filter = ("technology", "role", "status", "operator", "contract")
    search_fields = ("circuit_id", "establishment__code", "establishment__name", "duct")
    list_select_related = ("operator", "establishment", "contract")
    autocomplete_fields = ("operator", "establishment", "contract", "service_class", "tags")
    raw_id_fields = ("a_interface", "z_interface")


@admin.register(m.OperatorAccount)
class OperatorAccountAdmin(admin.ModelAdmin[m.OperatorAccount]):
    """Binding a user to an operator gives it the `operator` role: administrators only (an
    editor could otherwise demote anyone)."""

    list_display = ("user", "operator")
    list_select_related = ("user", "operator")
    autocomplete_fields = ("operator",)
    search_fields = ("user__username", "operator__name")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def save_model(
        self, request: HttpRequest, obj: m.OperatorAccount, form: Any, change: bool
    ) -> None:
        from inventory.accounts import make_operator_account

        make_operator_account(obj.user, obj.operator)
