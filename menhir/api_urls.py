"""The REST API's root: each app mounts its router under /api/<app>/."""

from django.urls import include, path

urlpatterns = [
    path("inventory/", include("inventory.api.urls")),
    path("core/", include("core.api.urls")),
    path("topology/", include("topology.api.urls")),
    path("alerting/", include("alerting.api.urls")),
]
