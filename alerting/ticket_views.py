"""Pages to list, enter and edit operators' tickets and maintenance windows, and the incident
page's actions (acknowledge, record the operator's ticket). Reading needs the read role, writing
the edit role, as in the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.http import require_POST

from alerting import forms, tables
from alerting import models as m
from alerting.filtersets import MaintenanceWindowFilterSet, TicketFilterSet
from alerting.ticketing import link_by_reference, link_ticket
from common.roles import EDIT, has_role, is_operator
from common.scoping import scope
from common.tables import Column
from common.views import ObjectListView, ScopedViewMixin


class StaffPage(ScopedViewMixin):
    """Tickets and maintenance windows are the syndicate's working records: staff only (an
    operator reads its own through the API, field by field); changing them needs `role`."""

    staff_only = True


class TicketList(StaffPage, ObjectListView):
    model = m.Ticket
    filterset_class = TicketFilterSet
    filter_form_class = forms.TicketFilterForm
    columns = tables.TICKET
    default_sort = "-opened_at"
    admin_editable = False
    title = _("Operator tickets")
    template_name = "alerting/ticket_list.html"

    def get_queryset(self) -> QuerySet[Any]:
        return m.Ticket.objects.select_related("operator", "link", "establishment")


class TicketDetail(StaffPage, generic.DetailView[m.Ticket]):
    model = m.Ticket
    template_name = "alerting/ticket_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        editor = has_role(self.request.user, EDIT)
        context.update(
            can_edit=editor,
            incidents=self.object.incidents.order_by("-start"),
            suspension_form=forms.SuspensionForm() if editor else None,
            reopening_form=forms.ReopeningForm() if editor else None,
        )
        return context


class TicketEdit(StaffPage, generic.UpdateView[m.Ticket, forms.TicketForm]):
    role = EDIT
    model = m.Ticket
    form_class = forms.TicketForm
    template_name = "alerting/object_form.html"
    extra_context = {"heading": "New ticket"}

    def get_object(self, queryset: Any = None) -> m.Ticket:
        return super().get_object(queryset) if "pk" in self.kwargs else m.Ticket()

    def form_valid(self, form: forms.TicketForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            linked = link_by_reference(form.instance)
        messages.success(
            self.request, gettext("Ticket %(ref)s saved.") % {"ref": form.instance.reference}
        )
        if linked:
            messages.info(
                self.request,
                ngettext(
                    "Linked to %(n)s incident carrying its reference.",
                    "Linked to %(n)s incidents carrying its reference.",
                    linked,
                )
                % {"n": linked},
            )
        return response


@require_POST
def ticket_add_child(request: HttpRequest, pk: int, child: str) -> HttpResponse:
    """Add a suspension or a reopening to a ticket, from the forms on its page."""
    if not has_role(request.user, EDIT):
        raise PermissionDenied("This needs the edit role.")
    ticket = get_object_or_404(m.Ticket, pk=pk)
    form_class = {"suspension": forms.SuspensionForm, "reopening": forms.ReopeningForm}[child]
    form: Any = form_class(request.POST)
    form.instance.ticket = ticket
    if form.is_valid():
        form.save()
        added = {
            "suspension": gettext("The suspension was added."),
            "reopening": gettext("The reopening was added."),
        }
        messages.success(request, added[child])
        return redirect(ticket)
    context = {
        "object": ticket,
        "ticket": ticket,
        "can_edit": True,
        "incidents": ticket.incidents.order_by("-start"),
        "suspension_form": forms.SuspensionForm(),
        "reopening_form": forms.ReopeningForm(),
        f"{child}_form": form,
    }
    return render(request, "alerting/ticket_detail.html", context)  # the form with its errors


class MaintenanceList(StaffPage, ObjectListView):
    model = m.MaintenanceWindow
    filterset_class = MaintenanceWindowFilterSet
    filter_form_class = forms.MaintenanceFilterForm
    columns = tables.MAINTENANCE
    default_sort = "-planned_start"
    admin_editable = False
    title = _("Maintenance windows")
    template_name = "alerting/maintenance_list.html"

    def get_columns(self) -> tuple[Column, ...]:
        editor = has_role(self.request.user, EDIT)
        return (*self.columns, tables.MAINTENANCE_EDIT) if editor else self.columns

    def get_queryset(self) -> QuerySet[Any]:
        return m.MaintenanceWindow.objects.select_related("operator").prefetch_related(
            "pops", "devices", "links"
        )


class MaintenanceEdit(
    StaffPage, generic.UpdateView[m.MaintenanceWindow, forms.MaintenanceWindowForm]
):
    role = EDIT
    model = m.MaintenanceWindow
    form_class = forms.MaintenanceWindowForm
    template_name = "alerting/object_form.html"
    extra_context = {"heading": "New maintenance window"}

    def get_object(self, queryset: Any = None) -> m.MaintenanceWindow:
        return super().get_object(queryset) if "pk" in self.kwargs else m.MaintenanceWindow()

    def form_valid(self, form: forms.MaintenanceWindowForm) -> HttpResponse:
        if form.instance.pk is None:
            form.instance.created_by = self.request.user
        with transaction.atomic():
            response = super().form_valid(form)
        messages.success(
            self.request,
            gettext("Maintenance window « %(title)s » saved.") % {"title": form.instance.title},
        )
        return response

    def get_success_url(self) -> str:
        return reverse("alerting:maintenance")


def _incident_to_act_on(request: HttpRequest, pk: int, what: str) -> m.Incident:
    """The incident `pk` for a page action: staff with the edit role on any incident, an
    operator account on its own ones only (another's is a 404, as on every page)."""
    if is_operator(request.user):
        return get_object_or_404(scope(m.Incident.objects.all(), request.user), pk=pk)
    if not has_role(request.user, EDIT):
        raise PermissionDenied(f"{what} needs the edit role.")
    return get_object_or_404(m.Incident, pk=pk)


@require_POST
def incident_ack(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident page's acknowledge button."""
    from alerting.paging import acknowledge

    incident = _incident_to_act_on(request, pk, "Acknowledging")
    with transaction.atomic():
        done = acknowledge(incident, who=request.user.get_username(), source="web")
    if done:
        messages.success(request, gettext("Incident #%(pk)s acknowledged.") % {"pk": pk})
    elif is_operator(request.user):
        messages.info(request, gettext("Incident #%(pk)s was already acknowledged.") % {"pk": pk})
    else:
        messages.info(
            request,
            gettext("Incident #%(pk)s was already acknowledged by %(who)s.")
            % {"pk": pk, "who": incident.acknowledged_by or gettext("someone")},
        )
    return HttpResponseRedirect(reverse("alerting:incident", args=[pk]))


@require_POST
def incident_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the operator's ticket reference on an incident (and link that ticket)."""
    incident = _incident_to_act_on(request, pk, "Recording a ticket reference")
    form = forms.TicketReferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the operator's ticket reference."))
    else:
        ticket = link_ticket(incident, form.cleaned_data["reference"], request.user.get_username())
        messages.success(
            request,
            gettext("Ticket reference recorded and linked to that ticket.")
            if ticket
            else gettext("Ticket reference recorded."),
        )
    return HttpResponseRedirect(reverse("alerting:incident", args=[pk]))


def import_export(request: HttpRequest) -> HttpResponse:
    """Upload an operator's CSV export of tickets or maintenance notices (all or nothing)."""
    from alerting.importers import ImportFailed
    from alerting.importers.options import ImportOptionError, run_import

    if not has_role(request.user, EDIT):
        raise PermissionDenied("Importing needs the edit role.")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = run_import(
                data["kind"],
                data["file"].read(),
                data["operator"].slug,
                data["timezone"] or None,
                user=request.user,
            )
        except (ImportFailed, ImportOptionError) as failure:
            context["errors"] = getattr(failure, "errors", None) or [str(failure)]
        else:
            messages.success(request, result.describe())
            target = "alerting:tickets" if data["kind"] == "tickets" else "alerting:maintenance"
            return redirect(target)
    return render(request, "alerting/import.html", context)  # the form, with any errors
