"""Routes of the inventory API (/api/inventory/<things>/), bulk operations on list routes."""

from common.api.routers import BulkRouter
from inventory.api import views

router = BulkRouter()
router.register("departments", views.DepartmentViewSet)
router.register("communes", views.CommuneViewSet)
router.register("tenants", views.TenantViewSet)
router.register("establishments", views.EstablishmentViewSet)
router.register("contacts", views.ContactViewSet)
router.register("pops", views.PopViewSet)
router.register("operators", views.OperatorViewSet)
router.register("contracts", views.ContractViewSet)
router.register("service-classes", views.ServiceClassViewSet)
router.register("snmp-profiles", views.SNMPProfileViewSet)
router.register("devices", views.DeviceViewSet)
router.register("interfaces", views.InterfaceViewSet)
router.register("links", views.LinkViewSet)
app_name = "inventory-api"
urlpatterns = router.urls
