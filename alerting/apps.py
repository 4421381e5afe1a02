from django.apps import AppConfig


class AlertingConfig(AppConfig):
    name = "alerting"

    def ready(self) -> None:
        from alerting.models import Incident
        from common import scoping

        # An operator account sees the incidents imputed to its operator, nothing else.
        scoping.register(Incident, lambda qs, operator_id: qs.filter(operator_id=operator_id))
