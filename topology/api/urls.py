"""Routes of the topology API (/api/topology/...)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from topology.api import views

router = SimpleRouter()
router.register("drift", views.DriftFindingViewSet, basename="drift")
router.register("discovery-runs", views.DiscoveryRunViewSet, basename="discovery-run")

app_name = "topology-api"
urlpatterns = [
    path("spof/", views.SpofView.as_view(), name="spof"),
    path("impact/", views.ImpactView.as_view(), name="impact"),
    path("findings/", views.FindingsView.as_view(), name="findings"),
    path("establishments/<int:pk>/path/", views.EstablishmentPathView.as_view(), name="path"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("map/", views.MapDataView.as_view(), name="map"),
    *router.urls,
]
