"""Login forms that say plainly when an account or an address is locked out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from core import throttle


class ThrottledLoginMixin:
    request: Any

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            data: dict[str, Any] = getattr(self, "cleaned_data", {})
            wait = throttle.locked_seconds(data.get("username"), throttle.client_ip(self.request))
            if wait:
                raise forms.ValidationError(
                    throttle.lockout_message(wait), code="locked_out"
                ) from None
            raise


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    """The web UI's login form."""


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The Django admin's login form."""


class PreferenceForm(forms.ModelForm):
    """A user's own settings, on their account page."""

    class Meta:
        from core.models import UserPreference

        model = UserPreference
        fields = ["language"]
