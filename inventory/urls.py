"""Routes of the inventory's web pages."""

from django.urls import path

from inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("establishments/", views.EstablishmentListView.as_view(), name="establishment_list"),
    path("establishments/<int:pk>/", views.EstablishmentView.as_view(), name="establishment"),
    path("devices/", views.DeviceListView.as_view(), name="device_list"),
    path("devices/<int:pk>/", views.DeviceView.as_view(), name="device"),
    path("links/", views.LinkListView.as_view(), name="link_list"),
    path("links/<int:pk>/", views.LinkView.as_view(), name="link"),
    path("pops/", views.PopListView.as_view(), name="pop_list"),
    path("pops/<int:pk>/", views.PopView.as_view(), name="pop"),
    path("operators/", views.OperatorListView.as_view(), name="operator_list"),
    path("operators/<int:pk>/", views.OperatorView.as_view(), name="operator"),
    path("contracts/", views.ContractListView.as_view(), name="contract_list"),
    path("contracts/<int:pk>/", views.ContractView.as_view(), name="contract"),
]
