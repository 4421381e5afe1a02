"""Routes of the alerting pages (/alerting/...)."""

from django.urls import path

from alerting import views

app_name = "alerting"
urlpatterns = [
    path("ack/<str:token>/", views.ack_link, name="ack"),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
]
