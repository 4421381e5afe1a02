"""Routes of the inventory API (/api/inventory/...)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
app_name = "inventory-api"
urlpatterns = router.urls
