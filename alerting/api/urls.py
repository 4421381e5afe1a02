"""Routes of the alerting API (/api/alerting/...), bulk operations on list routes."""

from alerting.api.tickets import (
    MaintenanceWindowViewSet,
    TicketReopeningViewSet,
    TicketSuspensionViewSet,
    TicketViewSet,
)
from alerting.api.views import IncidentViewSet
from common.api.routers import BulkRouter

router = BulkRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("tickets", TicketViewSet)
router.register("ticket-suspensions", TicketSuspensionViewSet)
router.register("ticket-reopenings", TicketReopeningViewSet)
router.register("maintenance-windows", MaintenanceWindowViewSet)
app_name = "alerting-api"
urlpatterns = router.urls
