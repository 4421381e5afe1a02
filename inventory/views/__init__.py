"""The inventory's web pages: home, lists (filters, sort, pages, export) and detail pages."""

from inventory.views.details import (
    ContractView,
    DeviceView,
    EstablishmentView,
    LinkView,
    OperatorView,
    PopView,
)
from inventory.views.home import HomeView
from inventory.views.lists import (
    ContractListView,
    DeviceListView,
    EstablishmentListView,
    LinkListView,
    OperatorListView,
    PopListView,
)

__all__ = [
    "ContractListView",
    "ContractView",
    "DeviceListView",
    "DeviceView",
    "EstablishmentListView",
    "EstablishmentView",
    "HomeView",
    "LinkListView",
    "LinkView",
    "OperatorListView",
    "OperatorView",
    "PopListView",
    "PopView",
]
