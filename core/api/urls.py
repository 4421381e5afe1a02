"""Routes of the core API (/api/core/...): tags, tokens, users, change log, audit log."""

from common.api.routers import BulkRouter
from core.api import views

router = BulkRouter()
router.register("tags", views.TagViewSet)
router.register("tokens", views.TokenViewSet)
router.register("users", views.UserViewSet)
router.register("changes", views.ObjectChangeViewSet)
router.register("audit", views.AuditEventViewSet)
app_name = "core-api"
urlpatterns = router.urls
