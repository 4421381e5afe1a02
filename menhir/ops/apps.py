from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "menhir.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from menhir.ops import checks  # noqa: F401  (registers Menhir's system checks)
