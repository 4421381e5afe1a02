"""Routes of the topology pages (/topology/...)."""

from django.urls import path

from topology import views

app_name = "topology"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("map/", views.geographic_map, name="map"),
    path("logical/", views.logical, name="logical"),
    path("establishments/<int:pk>/path/", views.site_path, name="path"),
]
