"""Penalty notices: the e-mail that notifies an operator of a month's penalty lines, with the
report's PDF attached, and opens the procédure contradictoire (15 days from its sending).

Staff first see a draft (`draft`: the lines, their total, the recipients, the language, the
text), then confirm (`send`): the lines move to `notified` and the mail goes out in one
transaction, so a relay that refuses the mail leaves every line as it was and nothing recorded;
once the relay took it, a `PenaltyNotice` records what went where. The recipients are the
operator's administrative contacts (the contract's signatories' side), else its billing
contacts, else its NOC address; the language is the operator's (Operator.language).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.mail import MailError, Relay
from inventory.choices import ContactRole
from inventory.models import Contract
from sla.models import CONTRADICTOIRE, Penalty, PenaltyNotice, PenaltyStatus, Report
from sla.report.loader import load_content
from sla.report.pdf import render_pdf
from sla.report.tables import build_tables
from sla.workflow import WorkflowError, transition

S = PenaltyStatus
log = logging.getLogger(__name__)


class NoticeError(ValueError):
    """The notice cannot be sent: why, in words staff can act on."""


@dataclass(frozen=True)
class NoticeDraft:
    contract: Contract
    year: int
    month: int
    report: Report
    lines: list[Penalty]
    total_ht: Decimal
    recipients: list[str]
    language: str

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def recipients_of(operator: Any) -> list[str]:
    """Where a notice goes: administrative contacts, else billing ones, else the NOC address."""
    for role in (ContactRole.ADMINISTRATIVE, ContactRole.BILLING):
        found = sorted(
            {c.email for c in operator.contacts.filter(role=role) if c.email}, key=str.lower
        )
        if found:
            return found
    return [operator.noc_email] if operator.noc_email else []


def draft(
    contract: Contract, year: int, month: int, line_ids: list[int] | None = None
) -> NoticeDraft:
    """The notice of the month's proposed lines (or of `line_ids` among them)."""
    lines = Penalty.objects.filter(
        contract=contract, year=year, month=month, status=S.PROPOSED
    ).select_related("link", "report")
    if line_ids:
        lines = lines.filter(pk__in=line_ids)
    chosen = list(lines)
    if not chosen:
        raise NoticeError(_("no proposed penalty line to notify for this month"))
    report = Report.objects.filter(contract=contract, year=year, month=month).order_by("-version")
    latest = report.first()
    if latest is None or latest.provisional:
        raise NoticeError(
            _("the month's latest report is provisional: notify once a final report exists")
        )
    recipients = recipients_of(contract.operator)
    if not recipients:
        raise NoticeError(
            _(
                "%(operator)s has no administrative or billing contact with an e-mail address, "
                "nor a NOC address: add one in the inventory"
            )
            % {"operator": contract.operator}
        )
    total = sum((line.amount_ht for line in chosen), Decimal("0.00"))
    return NoticeDraft(
        contract, year, month, latest, chosen, total, recipients, contract.operator.language
    )


def render(notice: NoticeDraft, now: datetime) -> dict[str, str]:
    """Subject, plain text and HTML of the notice, in the operator's language."""
    url = reverse("sla:report", kwargs={"pk": notice.contract.pk, "period": notice.period})
    context = {
        "n": notice,
        "due": now + CONTRADICTOIRE,
        "days": CONTRADICTOIRE.days,
        "report_url": f"{settings.MENHIR_BASE_URL.rstrip('/')}{url}",
    }
    with translation.override(notice.language):
        subject = _("Penalty notice — contract %(contract)s — %(period)s") % {
            "contract": notice.contract.reference,
            "period": notice.period,
        }
        return {
            "subject": subject,
            "text": render_to_string("sla/email/notice.txt", context),
            "html": render_to_string("sla/email/notice.html", context),
        }


def report_pdf(report: Report, language: str) -> bytes:
    """The report version's PDF in `language`, as the download serves it."""
    with translation.override(language):
        content = load_content(report)
    return render_pdf(content, build_tables(content, language), language)


def send(
    notice: NoticeDraft, user: Any, *, relay: Relay | None = None, now: datetime | None = None
) -> PenaltyNotice:
    """Notify the lines and send the mail, all or nothing; return the record of the notice."""
    now = now or datetime.now(UTC)
    relay = relay or Relay.from_settings(settings)
    words = render(notice, now)
    mail = EmailMessage()
    mail["From"] = relay.sender
    mail["To"] = ", ".join(notice.recipients)
    mail["Subject"] = words["subject"]
    message_id = make_msgid(domain="menhir")
    mail["Message-ID"] = message_id
    mail["X-Menhir-Contract"] = notice.contract.reference
    mail.set_content(words["text"])
    mail.add_alternative(words["html"], subtype="html")
    name = f"sla-{notice.contract.reference}-{notice.period}-v{notice.report.version}.pdf"
    mail.add_attachment(
        report_pdf(notice.report, notice.language),
        maintype="application",
        subtype="pdf",
        filename=name,
    )
    with transaction.atomic():
        for line in notice.lines:
            line.refresh_from_db()
            if line.status != S.PROPOSED:
                raise WorkflowError(_("a line changed meanwhile: open the notice again"))
            transition(line, S.NOTIFIED, user, now=now)
        relay.send(mail)  # MailError rolls the lines back
        record = PenaltyNotice.objects.create(
            contract=notice.contract,
            year=notice.year,
            month=notice.month,
            report=notice.report,
            total_ht=notice.total_ht,
            recipients="\n".join(notice.recipients),
            language=notice.language,
            subject=words["subject"],
            message_id=message_id,
            sent_at=now,
            sent_by=user if getattr(user, "is_authenticated", False) else None,
        )
        record.lines.set(notice.lines)
    return record


def tell_staff_of_reply(penalty: Penalty, *, relay: Relay | None = None) -> bool:
    """E-mail the contract managers (MENHIR_SLA_STAFF_EMAILS) that the operator filed or amended
    its reply to `penalty`, in the interface's default language. The reply is already recorded:
    a relay that refuses the mail is logged and the reply stays (staff also see it on the
    report); returns whether a mail went out."""
    recipients = list(getattr(settings, "MENHIR_SLA_STAFF_EMAILS", []))
    if not recipients:
        return False
    relay = relay or Relay.from_settings(settings)
    period = f"{penalty.year:04d}-{penalty.month:02d}"
    url = reverse("sla:report", kwargs={"pk": penalty.contract_id, "period": period})
    context = {
        "p": penalty,
        "period": period,
        "url": f"{settings.MENHIR_BASE_URL.rstrip('/')}{url}#reply-card-{penalty.pk}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reply from %(operator)s — %(contract)s — %(period)s") % {
            "operator": penalty.contract.operator.name,
            "contract": penalty.contract.reference,
            "period": period,
        }
        text = render_to_string("sla/email/reply.txt", context)
    mail = EmailMessage()
    mail["To"] = ", ".join(recipients)
    mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="menhir")
    mail["X-Menhir-Contract"] = penalty.contract.reference
    mail.set_content(text)
    try:
        relay.send(mail)
    except MailError as error:
        log.warning("the staff were not told of the reply to penalty %s: %s", penalty.pk, error)
        return False
    return True
