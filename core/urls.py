"""Routes of the audit page (/audit/) and of a user's own settings (/account/)."""

from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("account/", views.account, name="account"),
]
