from django.apps import AppConfig


class AlertingConfig(AppConfig):
    name = "alerting"
