"""Routes of the inventory's web pages."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "inventory"
urlpatterns = [
    path("", RedirectView.as_view(url="/admin/"), name="home"),
]
