"""Routes of the alerting API (/api/alerting/...)."""

from rest_framework.routers import SimpleRouter

from alerting.api.views import IncidentViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
app_name = "alerting-api"
urlpatterns = router.urls
