"""Routes of the composed pages; the establishment page is served here, with its traffic."""

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path(
        "establishments/<int:pk>/series/",
        views.establishment_series_json,
        name="establishment-series",
    ),
]
