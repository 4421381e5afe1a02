"""Routes of the audit page (/audit/)."""

from django.urls import path

from core import views

app_name = "core"
urlpatterns = [path("", views.audit, name="audit")]
