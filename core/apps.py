from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from django.contrib import admin

        from core import audit, language, signals  # noqa: F401  (connect their handlers)
        from core.forms import AdminLoginForm

        admin.site.login_form = AdminLoginForm  # the admin's login is throttled too
