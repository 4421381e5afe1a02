"""Routes of the core API (/api/core/...): tokens, users, change log."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
app_name = "core-api"
urlpatterns = router.urls
