"""Operators' trouble tickets (signalisations): the evidence the SLA measures GTI and GTR on.

A ticket is opened at the operator's on a subscription (an access link), acknowledged (GTI),
declared restored (GTR), possibly reopened, with accepted suspensions ("gel du décompte") and an
imputability. The SLA module reads these facts (docs/sla.md R5, R9); alerting links them to
incidents.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import ChangeLoggedModel


class Imputability(models.TextChoices):
    """Who the fault is imputable to (docs/sla.md enumeration)."""

    OPERATOR = "operator", _("Operator")
    CLIENT = "client", _("Client (the syndicate or the establishment)")
    THIRD_PARTY = "third_party", _("Third party")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    UNKNOWN = "unknown", _("Unknown")


class Decision(models.TextChoices):
    """The syndicate's decision on what the operator asks (a suspension of the clock)."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def _not_before(later: str, earlier: str) -> Q:
    return Q(**{f"{later}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)})


class Ticket(ChangeLoggedModel):
    """One trouble ticket at an operator's, on one subscription (access link) when known."""

    operator = models.ForeignKey(
        "inventory.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("the operator's ticket number")
    )
    link = models.ForeignKey(
        "inventory.Link",
        verbose_name=_("link"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        help_text=_("the subscription (access link) the ticket is about"),
    )
    establishment = models.ForeignKey(
        "inventory.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        help_text=_("filled from the link when empty"),
    )
    opened_at = models.DateTimeField(_("opened at"), help_text=_("start of the GTI and GTR clocks"))
    fault_start = models.DateTimeField(
        _("fault start"),
        null=True,
        blank=True,
        help_text=_("when the fault began, if the operator says so"),
    )
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"),
        null=True,
        blank=True,
        help_text=_("qualified handling by the operator (GTI)"),
    )
    restored_at = models.DateTimeField(
        _("declared restored at"), null=True, blank=True, help_text=_("as declared by the operator")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cause = models.CharField(_("cause"), max_length=300, blank=True)
    imputability = models.CharField(
        _("imputability"), max_length=20, choices=Imputability.choices, default=Imputability.UNKNOWN
    )
    incidents = models.ManyToManyField(
        "alerting.Incident", verbose_name=_("incidents"), blank=True, related_name="tickets"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "reference"], name="ticket_once"),
            models.CheckConstraint(
                condition=_not_before("acknowledged_at", "opened_at"), name="ticket_ack_after_open"
            ),
            models.CheckConstraint(
                condition=_not_before("restored_at", "opened_at"),
                name="ticket_restored_after_open",
            ),
            models.CheckConstraint(
                condition=_not_before("closed_at", "opened_at"), name="ticket_closed_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.operator_id})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("alerting:ticket", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        opened = self.opened_at
        for name in ("acknowledged_at", "restored_at", "closed_at"):
            value: datetime | None = getattr(self, name)
            if opened and value and value < opened:
                errors[name] = f"{name} cannot be before the opening (opened_at)."
        if self.fault_start and self.restored_at and self.fault_start > self.restored_at:
            errors["fault_start"] = "The fault cannot start after the declared restoration."
        link = self.link if self.link_id else None
        if link is not None and self.operator_id and link.operator_id != self.operator_id:
            errors["link"] = "This link belongs to another operator."
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        link = self.link if self.link_id else None
        if self.establishment_id is None and link is not None:
            self.establishment_id = link.establishment_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class TicketSuspension(ChangeLoggedModel):
    """A period the GTR clock stops ("gel du décompte"), e.g. the site was closed; only accepted
    ones are subtracted (docs/sla.md R7, R9)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="suspensions"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PROPOSED
    )

    class Meta:
        verbose_name = _("ticket suspension")
        verbose_name_plural = _("ticket suspensions")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="suspension_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"suspension of ticket {self.ticket_id} from {self.start:%Y-%m-%d %H:%M}"

    @property
    def accepted(self) -> bool:
        return self.decision == Decision.ACCEPTED

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "A suspension must end after it starts."})


class TicketReopening(ChangeLoggedModel):
    """The fault came back after the declared restoration: the GTR clock runs again from `at`
    (counted when within the contract's reopen window, docs/sla.md R9)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="reopenings"
    )
    at = models.DateTimeField(_("reopened at"))
    restored_at = models.DateTimeField(_("declared restored at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ticket reopening")
        verbose_name_plural = _("ticket reopenings")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_not_before("restored_at", "at"), name="reopening_restored_after"
            )
        ]

    def __str__(self) -> str:
        return f"reopening of ticket {self.ticket_id} at {self.at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.at and self.restored_at and self.restored_at < self.at:
            raise ValidationError({"restored_at": "Restored before it was reopened."})
