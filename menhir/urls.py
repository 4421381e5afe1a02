"""URL map: the web UI, the REST API under /api/, its OpenAPI schema and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.forms import LoginForm
from dashboards.views import EstablishmentWithTraffic


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health", health, name="health"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("menhir.api_urls")),
    # The establishment page with its live traffic (dashboards composes inventory and metrics).
    path("establishments/<int:pk>/", EstablishmentWithTraffic.as_view(), name="establishment-live"),
    path("dashboards/", include("dashboards.urls")),
    path("topology/", include("topology.urls")),
    path("alerting/", include("alerting.urls")),
    path("audit/", include("core.urls")),
    path("", include("inventory.urls")),
]
