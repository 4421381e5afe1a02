"""Routes of the SLA pages (/sla/...)."""

from django.urls import path

from sla import views

app_name = "sla"
urlpatterns = [
    path("", views.index, name="index"),
    path("contracts/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("contracts/<int:pk>/<str:period>/", views.report_page, name="report"),
    path(
        "contracts/<int:pk>/<str:period>/report.<str:fmt>",
        views.report_download,
        name="download",
    ),
    path(
        "contracts/<int:pk>/<str:period>/penalties/",
        views.penalties_bulk,
        name="penalties_bulk",
    ),
    path("contracts/<int:pk>/<str:period>/notify/", views.notify, name="notify"),
    path("penalties/<int:penalty_pk>/", views.penalty_action, name="penalty"),
    path("penalties/<int:penalty_pk>/reply/", views.penalty_reply, name="penalty_reply"),
    path("claims/<int:claim_pk>/", views.claim_decision, name="claim"),
]
