"""The SLA pages: contracts and their monthly reports, a report (page, PDF, XLSX, CSV), and the
actions on it (evaluate a month, move a penalty through its workflow, decide a claim).

Reading needs the read role; evaluating and preparing penalties the edit role; decisions on
penalties and claims the admin role (checked by `sla.workflow` and here). An operator account
reads its own contracts' final reports and the penalty lines put to it (sla.scoping), and files
its reply to a notified line; every other action refuses it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.changes import change_context
from common.filenames import attachment
from common.mail import MailError
from common.roles import ADMIN, EDIT, has_role, is_operator
from common.scoping import operator_id, scope
from common.tables import Label
from common.views import read_role_required, role_required
from inventory.models import Contract
from sla import notices
from sla.calc.parser import EvaluationError
from sla.models import (
    CONTRADICTOIRE,
    ClaimDecision,
    ExclusionClaim,
    Penalty,
    PenaltyNotice,
    PenaltyStatus,
    Report,
)
from sla.report.export import UnknownTable, to_csv, to_xlsx
from sla.report.loader import load_content
from sla.report.page import COLLAPSE_OVER, page_context, report_language
from sla.report.pdf import render_pdf
from sla.report.tables import build_tables
from sla.service import evaluate_month
from sla.workflow import (
    WorkflowError,
    WorkflowPermissionError,
    allowed,
    reply,
    reply_open,
    transition,
)

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _period(text: str) -> tuple[int, int]:
    match = PERIOD.match(text)
    if not match:
        raise Http404("a month is written YYYY-MM")
    return int(match[1]), int(match[2])


def _contracts(user: Any) -> Any:
    """The contracts `user` may read reports of: all for staff, its own for an operator."""
    contracts = Contract.objects.select_related("operator")
    if not is_operator(user):
        return contracts
    owner = operator_id(user)
    return contracts.filter(operator_id=owner) if owner is not None else contracts.none()


@role_required(Report)
def index(request: HttpRequest) -> HttpResponse:
    """Every contract with the months that have a report (latest version of each)."""
    latest = (
        scope(Report.objects.all(), request.user)
        .values("contract_id", "year", "month")
        .annotate(version=Max("version"))
        .order_by("contract_id", "-year", "-month")
    )
    months: dict[int, list[dict[str, Any]]] = {}
    for row in latest:
        months.setdefault(row["contract_id"], []).append(
            {"period": f"{row['year']:04d}-{row['month']:02d}", "version": row["version"]}
        )
    contracts = [
        {"contract": c, "months": months.get(c.pk, [])}
        for c in _contracts(request.user).order_by("reference")
    ]
    return render(
        request,
        "sla/index.html",
        {"contracts": contracts, "can_evaluate": has_role(request.user, EDIT)},
    )


def _counts_by_status(penalties: Any) -> list[tuple[Label, int]]:
    """How many lines stand at each step of the workflow, in the workflow's order."""
    found = Counter(p.status for p in penalties)
    return [(label, found[value]) for value, label in PenaltyStatus.choices if found[value]]


def _report(request: HttpRequest, contract: Contract, year: int, month: int) -> Report:
    version = request.GET.get("version")
    reports = scope(Report.objects.all(), request.user).filter(
        contract=contract, year=year, month=month
    )
    if version:
        if not version.isdigit():
            raise Http404("a version is a number")
        return get_object_or_404(reports, version=int(version))
    found = reports.order_by("-version").first()
    if found is None:
        raise Http404("no report for this month yet")
    return found


@role_required(Report)
def report_page(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    contract = get_object_or_404(_contracts(request.user), pk=pk)
    year, month = _period(period)
    report = _report(request, contract, year, month)
    lang = report_language(request.GET.get("lang"))
    user = request.user
    penalties = (
        scope(Penalty.objects.all(), user)
        .filter(contract=contract, year=year, month=month)
        .select_related("link", "replied_by")
    )
    actions = {p.pk: allowed(p, user) for p in penalties}
    versions = (
        scope(Report.objects.all(), user)
        .filter(contract=contract, year=year, month=month)
        .values_list("version", "created", "inputs_hash")
    )
    claims = (
        scope(ExclusionClaim.objects.all(), user)
        .filter(link__contract=contract, decision=ClaimDecision.PENDING)
        .select_related("link")
    )
    now = datetime.now(UTC)
    context = {
        "contract": contract,
        "report": report,
        "lang": lang,
        "penalties": [(p, actions[p.pk]) for p in penalties],
        "versions": versions,
        "pending_claims": claims,
        "can_evaluate": has_role(user, EDIT),
        "can_decide": has_role(user, ADMIN),
        "is_operator": is_operator(user),
        "has_replies": any(p.operator_reply for p in penalties),
        "penalty_counts": _counts_by_status(penalties),
        "fold_penalties": len(penalties) > COLLAPSE_OVER,
        "notices": PenaltyNotice.objects.filter(contract=contract, year=year, month=month),
        "may_reply": {p.pk for p in penalties if reply_open(p, now)}
        if is_operator(user)
        else set(),
    }
    with translation.override(lang):  # the report's words, numbers and dates
        context.update(page_context(load_content(report)))
        return render(request, "sla/report.html", context)


@role_required(Report)
def report_download(request: HttpRequest, pk: int, period: str, fmt: str) -> HttpResponseBase:
    contract = get_object_or_404(_contracts(request.user), pk=pk)
    year, month = _period(period)
    report = _report(request, contract, year, month)
    lang = report_language(request.GET.get("lang"))
    with translation.override(lang):
        content = load_content(report)
    tables = build_tables(content, lang)
    name = f"sla-{contract.reference}-{period}-v{report.version}-{lang}"
    if fmt == "pdf":
        body, kind = render_pdf(content, tables, lang), "application/pdf"
    elif fmt == "xlsx":
        body = to_xlsx(tables, name, lang)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        key = request.GET.get("table", "subscriptions")
        try:
            body = to_csv(tables, key, lang)
        except UnknownTable:
            known = ", ".join(t.key for t in tables)
            return HttpResponse(
                f"unknown table {key!r}; one of: {known}", status=400, content_type="text/plain"
            )
        kind, name = "text/csv; charset=utf-8", f"{name}-{key}"
    else:
        raise Http404("formats: pdf, xlsx, csv")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = attachment(f"{name}.{fmt}")
    return response


@require_POST
@read_role_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_role(request.user, EDIT):
        raise PermissionDenied("Evaluating a month needs the edit role.")
    contract = get_object_or_404(Contract, pk=pk)
    period = request.POST.get("period", "")
    match = PERIOD.match(period)
    if not match:
        messages.error(request, _("%(period)r is not a month (YYYY-MM).") % {"period": period})
        return redirect("sla:index")
    year, month = int(match[1]), int(match[2])
    if datetime(year, month, 1, tzinfo=UTC) > datetime.now(UTC):
        messages.error(request, _("%(period)s has not started yet.") % {"period": period})
        return redirect("sla:index")
    try:
        done = evaluate_month(contract, year, month, user=request.user)
    except EvaluationError as exc:
        messages.error(
            request,
            _("The month's data was refused: %(field)s: %(reason)s")
            % {"field": exc.field, "reason": exc.reason},
        )
        return redirect("sla:index")
    report = done.report
    if done.created:
        messages.success(
            request,
            _("Version %(version)s of %(period)s evaluated.")
            % {"version": report.version, "period": period},
        )
    else:
        messages.info(
            request,
            _("Nothing changed since version %(version)s: same inputs.")
            % {"version": report.version},
        )
    return redirect("sla:report", pk=contract.pk, period=period)


@require_POST
@read_role_required
def penalty_action(request: HttpRequest, penalty_pk: int) -> HttpResponse:
    penalty = get_object_or_404(Penalty, pk=penalty_pk)
    period = f"{penalty.year:04d}-{penalty.month:02d}"
    if request.POST.get("to") == PenaltyStatus.NOTIFIED:  # through the notice, with its mail
        url = reverse("sla:notify", kwargs={"pk": penalty.contract_id, "period": period})
        return redirect(f"{url}?line={penalty.pk}")
    try:
        transition(
            penalty,
            request.POST.get("to", ""),
            request.user,
            amount=request.POST.get("amount") or None,
            comment=request.POST.get("comment", ""),
            reply=request.POST.get("reply", ""),
        )
    except WorkflowError as exc:
        if "role" in str(exc):
            raise PermissionDenied(str(exc)) from None
        messages.error(request, _("Penalty %(line)s: %(why)s") % {"line": penalty, "why": exc})
    else:
        messages.success(
            request,
            _("Penalty %(line)s: %(status)s.")
            % {"line": penalty, "status": penalty.get_status_display()},
        )
    url = reverse("sla:report", kwargs={"pk": penalty.contract_id, "period": period})
    return redirect(f"{url}#penalties")


@require_POST
@role_required(Penalty)
def penalty_reply(request: HttpRequest, penalty_pk: int) -> HttpResponse:
    """The operator's reply to a notified line (the contradictory procedure), from its account."""
    penalty = get_object_or_404(
        scope(Penalty.objects.select_related("contract"), request.user), pk=penalty_pk
    )
    try:
        reply(penalty, request.user, request.POST.get("reply", ""))
    except WorkflowPermissionError as exc:
        raise PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        messages.error(request, _("Reply not filed: %(why)s.") % {"why": exc})
    else:
        notices.tell_staff_of_reply(penalty)
        messages.success(request, _("Your reply is filed; the syndicate sees it now."))
    period = f"{penalty.year:04d}-{penalty.month:02d}"
    url = reverse("sla:report", kwargs={"pk": penalty.contract_id, "period": period})
    return redirect(f"{url}#reply-card-{penalty.pk}")


@require_POST
@read_role_required
def penalties_bulk(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """Propose every computed line of the month at once (notifying goes through the notice)."""
    contract = get_object_or_404(Contract, pk=pk)
    year, month = _period(period)
    to = request.POST.get("to", "")
    if to == PenaltyStatus.NOTIFIED:
        return redirect("sla:notify", pk=pk, period=period)
    if to != PenaltyStatus.PROPOSED:
        messages.error(request, _("%(to)r: all lines can only be proposed at once.") % {"to": to})
    else:
        lines = Penalty.objects.filter(
            contract=contract, year=year, month=month, status=PenaltyStatus.COMPUTED
        )
        try:
            with transaction.atomic():
                moved = [transition(p, to, request.user) for p in lines]
        except WorkflowPermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        messages.success(request, _("%(n)d penalty lines proposed.") % {"n": len(moved)})
    url = reverse("sla:report", kwargs={"pk": pk, "period": period})
    return redirect(f"{url}#penalties")


@read_role_required
def notify(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The penalty notice: its draft to confirm (GET), then the lines notified and the mail
    sent, all or nothing (POST). Editors only, as notifying is theirs."""
    if not has_role(request.user, EDIT):
        raise PermissionDenied("Notifying penalties needs the edit role.")
    contract = get_object_or_404(Contract.objects.select_related("operator"), pk=pk)
    year, month = _period(period)
    report_url = reverse("sla:report", kwargs={"pk": pk, "period": period})
    ids = [
        int(i) for i in request.GET.getlist("line") + request.POST.getlist("line") if i.isdigit()
    ]
    try:
        notice = notices.draft(contract, year, month, ids or None)
    except notices.NoticeError as exc:
        messages.error(request, _("No notice: %(why)s.") % {"why": exc})
        return redirect(f"{report_url}#penalties")
    if request.method == "POST":
        try:
            sent = notices.send(notice, request.user)
        except (WorkflowError, MailError) as exc:
            messages.error(request, _("Nothing was notified: %(why)s.") % {"why": exc})
        else:
            messages.success(
                request,
                _("%(n)d lines notified to %(to)s; the operator may reply until %(due)s.")
                % {
                    "n": len(notice.lines),
                    "to": ", ".join(notice.recipients),
                    "due": date_format(localtime(sent.answer_due), "SHORT_DATETIME_FORMAT"),
                },
            )
        return redirect(f"{report_url}#penalties")
    now = datetime.now(UTC)
    context = {
        "n": notice,
        "contract": contract,
        "report_url": report_url,
        "words": notices.render(notice, now),
        "due": now + CONTRADICTOIRE,
    }
    return render(request, "sla/notify.html", context)


@require_POST
@read_role_required
def claim_decision(request: HttpRequest, claim_pk: int) -> HttpResponse:
    if not has_role(request.user, ADMIN):
        raise PermissionDenied("Deciding a claim needs the admin role.")
    claim = get_object_or_404(ExclusionClaim, pk=claim_pk)
    decision = request.POST.get("decision", "")
    if decision not in (ClaimDecision.ACCEPTED, ClaimDecision.REJECTED):
        messages.error(
            request,
            _("%(decision)r is not a decision (accepted or rejected).") % {"decision": decision},
        )
    elif claim.decision != ClaimDecision.PENDING:
        messages.error(
            request,
            _("This claim was already decided: %(decision)s.")
            % {"decision": claim.get_decision_display()},
        )
    else:
        claim.decision = decision
        claim.decided_at = datetime.now(UTC)
        claim.decided_by = request.user if request.user.is_authenticated else None
        with change_context(user=request.user, source="web"):
            claim.save()
        messages.success(
            request,
            _("Claim %(decision)s; evaluate the month again to apply it.")
            % {"decision": claim.get_decision_display().lower()},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("sla:index")
    return redirect(target)
