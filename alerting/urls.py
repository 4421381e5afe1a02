"""Routes of the alerting pages (/alerting/...)."""

from django.urls import path

from alerting import pages, views

app_name = "alerting"
urlpatterns = [
    path("ack/<str:token>/", views.ack_link, name="ack"),
    path("incidents/", views.IncidentList.as_view(), name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/ack/", pages.incident_ack, name="incident_ack"),
    path("incidents/<int:pk>/ticket/", pages.incident_ticket, name="incident_ticket"),
    path("tickets/", pages.TicketList.as_view(), name="tickets"),
    path("tickets/new/", pages.TicketEdit.as_view(), name="ticket_new"),
    path("tickets/<int:pk>/", pages.TicketDetail.as_view(), name="ticket"),
    path("tickets/<int:pk>/edit/", pages.TicketEdit.as_view(), name="ticket_edit"),
    path("tickets/<int:pk>/<str:child>/", pages.ticket_add_child, name="ticket_child"),
    path("import/", pages.import_export, name="import"),
    path("maintenance/", pages.MaintenanceList.as_view(), name="maintenance"),
    path("maintenance/new/", pages.MaintenanceEdit.as_view(), name="maintenance_new"),
    path("maintenance/<int:pk>/edit/", pages.MaintenanceEdit.as_view(), name="maintenance_edit"),
]
