"""Routes of the alerting pages (/alerting/...)."""

from django.urls import path

from alerting import ticket_views, views

app_name = "alerting"
urlpatterns = [
    path("ack/<str:token>/", views.ack_link, name="ack"),
    path("incidents/", views.IncidentList.as_view(), name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/ack/", ticket_views.incident_ack, name="incident_ack"),
    path("incidents/<int:pk>/ticket/", ticket_views.incident_ticket, name="incident_ticket"),
    path("tickets/", ticket_views.TicketList.as_view(), name="tickets"),
    path("tickets/new/", ticket_views.TicketEdit.as_view(), name="ticket_new"),
    path("tickets/<int:pk>/", ticket_views.TicketDetail.as_view(), name="ticket"),
    path("tickets/<int:pk>/edit/", ticket_views.TicketEdit.as_view(), name="ticket_edit"),
    path("tickets/<int:pk>/<str:child>/", ticket_views.ticket_add_child, name="ticket_child"),
    path("import/", ticket_views.import_export, name="import"),
    path("maintenance/", ticket_views.MaintenanceList.as_view(), name="maintenance"),
    path("maintenance/new/", ticket_views.MaintenanceEdit.as_view(), name="maintenance_new"),
    path(
        "maintenance/<int:pk>/edit/",
        ticket_views.MaintenanceEdit.as_view(),
        name="maintenance_edit",
    ),
]
