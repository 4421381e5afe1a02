"""URL map: the web UI, the REST API under /api/, its OpenAPI schema and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.forms import LoginForm
from dashboards import views as dashboards
from menhir.ops import views as ops_views

urlpatterns = [
    path("health", ops_views.health, name="health"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's, the API's).
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url="/static/menhir/icon.svg", permanent=True)),
    ),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("menhir.api_urls")),
    # Pages with live data: dashboards composes the inventory's home and lists and topology's
    # maps with the metrics and alerting, at their addresses (these routes come before the
    # inventory's). The detail pages (establishments/<pk>/, links/<pk>/…) have one route, the
    # inventory's, which dashboards extends with panels (common.panels, dashboards.panels).
    path("", dashboards.HomeWithStatus.as_view(), name="home-live"),
    path(
        "establishments/",
        dashboards.EstablishmentListWithStatus.as_view(),
        name="establishments-live",
    ),
    path("pops/", dashboards.PopListWithStatus.as_view(), name="pops-live"),
    path("topology/map/", dashboards.live_map, name="map-live"),
    path("topology/logical/", dashboards.live_logical, name="logical-live"),
    path("search/", dashboards.search_page, name="search"),
    path("dashboards/", include("dashboards.urls")),
    path("topology/", include("topology.urls")),
    path("alerting/", include("alerting.urls")),
    path("sla/", include("sla.urls")),
    path("", include("core.urls")),
    path("", include("inventory.urls")),
]
