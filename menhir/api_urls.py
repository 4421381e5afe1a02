"""The REST API's root: each app mounts its router under /api/<app>/."""

from django.urls import include, path

from menhir.api_root import APIRootView

urlpatterns = [
    path("", APIRootView.as_view(), name="api-root"),
    path("inventory/", include("inventory.api.urls")),
    path("core/", include("core.api.urls")),
    path("topology/", include("topology.api.urls")),
    path("alerting/", include("alerting.api.urls")),
]
