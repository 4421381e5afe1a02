"""What the SLA keeps in the database: the monitoring evidence per subscription, the operator's
exclusion claims, the monthly reports as immutable versions, their per-subscription results and
the penalties with their workflow (docs/sla.md R1–R14, docs/sla.md).

The pure engine (`sla.calc`) computes; these models keep its inputs and outputs so that every
figure can be traced to the exact document it came from.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import ChangeLoggedModel

CONTRADICTOIRE = timedelta(days=15)  # CCAG-TIC: the operator's time to comment


class RunState(models.TextChoices):
    DOWN = "down", _("Down")
    UNKNOWN = "unknown", _("Unknown (no poll)")


class MonitoringRun(models.Model):
    """A run of consecutive non-UP monitoring slots of one subscription (docs/sla.md, `monitoring`).

    Every slot not covered by a run is UP. Raw samples expire after `MENHIR_RETENTION_RAW_DAYS`;
    the runs are the SLA's evidence and are kept as long as the contract needs them.
    """

    link = models.ForeignKey(
        "inventory.Link", verbose_name=_("link"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices)
    third_party = models.BooleanField(
        _("third party"),
        default=False,
        help_text=_("caused by an element outside the contract (docs/sla.md R7)"),
    )
    source = models.CharField(_("source"), max_length=20, default="poller")

    class Meta:
        verbose_name = _("monitoring run")
        verbose_name_plural = _("monitoring runs")
        ordering = ["link", "start"]
        indexes = [models.Index(fields=["start", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="run_ends_after_start"),
            models.UniqueConstraint(fields=["link", "start"], name="run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.state} link {self.link_id} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class CollectedWindow(models.Model):
    """A window of time whose monitoring runs are complete (docs/sla.md, "The end of the
    input"). Runs record only DOWN and UNKNOWN slots, so an all-UP day leaves no run: these
    windows tell where the collected monitoring really ends (`monitoring_until`)."""

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    source = models.CharField(_("source"), max_length=20, default="poller")
    collected_at = models.DateTimeField(_("collected at"), auto_now=True)

    class Meta:
        verbose_name = _("collected window")
        verbose_name_plural = _("collected windows")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="collected_window_ends_after_start"
            ),
            models.UniqueConstraint(fields=["source", "start"], name="collected_window_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class ClaimType(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    CLIENT = "client", _("Caused by the client")
    THIRD_PARTY = "third_party", _("Third party")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    MONITORING_ERROR = "monitoring_error", _("Monitoring error")


class ClaimDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ExclusionClaim(ChangeLoggedModel):
    """A period the operator asks to exclude from one subscription's downtime (docs/sla.md R7).

    Only accepted claims exclude; a pending one is reported with what is at stake (`disputed`).
    """

    link = models.ForeignKey(
        "inventory.Link", verbose_name=_("link"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    type = models.CharField(_("type"), max_length=20, choices=ClaimType.choices)
    reason = models.TextField(_("reason"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ClaimDecision.choices, default=ClaimDecision.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("exclusion claim")
        verbose_name_plural = _("exclusion claims")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} claim on link {self.link_id} ({self.decision})"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "A claim must end after it starts."})


class ImmutableError(RuntimeError):
    """A report version is never modified nor deleted (docs/sla.md R14)."""


class Report(models.Model):
    """One version of the monthly report of a contract: its inputs (the evaluation file), their
    hash, the engine's output and the versions of the code and parameters that produced it.

    Immutable: a re-run with the same inputs finds this version again; different inputs make a
    new version; corrections to a month appear as adjustments in later reports.
    """

    contract = models.ForeignKey(
        "inventory.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    version = models.PositiveIntegerField(_("version"))
    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    inputs = models.JSONField(_("inputs"))
    output = models.JSONField(_("output"))
    notes = models.JSONField(
        _("notes"), default=dict, help_text=_("engine notes and data-quality findings")
    )
    code_version = models.CharField(_("code version"), max_length=40)
    provisional = models.BooleanField(
        _("provisional"), default=True, help_text=_("the month was not over (R13)")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["contract", "-year", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year", "month", "version"], name="report_version_once"
            ),
            models.UniqueConstraint(
                fields=["contract", "year", "month", "inputs_hash"], name="report_inputs_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.year}-{self.month:02d} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("a report version is never modified; evaluate again instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("a report version is never deleted")

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"


class MonthlyResult(models.Model):
    """One subscription's figures in one report version (the engine's output, queryable)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="results"
    )
    link = models.ForeignKey(
        "inventory.Link", verbose_name=_("link"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_s = models.BigIntegerField(_("scheduled s"))
    downtime_s = models.BigIntegerField(_("downtime s"))
    excluded_s = models.BigIntegerField(_("excluded s"))
    unknown_s = models.BigIntegerField(_("unknown s"))
    required_s = models.BigIntegerField(_("required s"))
    availability_pct = models.CharField(_("availability pct"), max_length=10, null=True)
    availability_exact = models.CharField(_("availability exact"), max_length=60, null=True)
    coverage_pct = models.CharField(_("coverage pct"), max_length=10, null=True)
    micro_outages = models.PositiveIntegerField(_("micro outages"))
    tier_rate_pct = models.DecimalField(
        _("tier rate pct"), max_digits=6, decimal_places=2, null=True
    )
    total_ht = models.DecimalField(_("total ht"), max_digits=12, decimal_places=2)
    disputed_ht = models.DecimalField(_("disputed ht"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("monthly result")
        verbose_name_plural = _("monthly results")
        ordering = ["report", "link"]
        constraints = [
            models.UniqueConstraint(fields=["report", "link"], name="result_once_per_report")
        ]

    def __str__(self) -> str:
        return f"link {self.link_id} in {self.report}"


class PenaltyStatus(models.TextChoices):
    # A context of their own: a penalty is feminine in French ("proposée"), an incident is not.
    COMPUTED = "computed", pgettext_lazy("penalty", "Computed")
    PROPOSED = "proposed", pgettext_lazy("penalty", "Proposed")
    NOTIFIED = "notified", pgettext_lazy("penalty", "Notified (contradictoire)")
    UPHELD = "upheld", pgettext_lazy("penalty", "Upheld")
    CHANGED = "changed", pgettext_lazy("penalty", "Changed")
    WAIVED = "waived", pgettext_lazy("penalty", "Waived")
    APPLIED = "applied", pgettext_lazy("penalty", "Applied")


S = PenaltyStatus
# status → the statuses it may move to (computed → proposed → notified → upheld/changed/waived
# → applied); `waived` is final, nothing leaves `applied`.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.COMPUTED: (S.PROPOSED,),
    S.PROPOSED: (S.NOTIFIED, S.COMPUTED),
    S.NOTIFIED: (S.UPHELD, S.CHANGED, S.WAIVED),
    S.UPHELD: (S.APPLIED,),
    S.CHANGED: (S.APPLIED,),
    S.WAIVED: (),
    S.APPLIED: (),
}
# Statuses whose amount is owed (counted in the running total against the cap).
COUNTED = (S.PROPOSED, S.NOTIFIED, S.UPHELD, S.CHANGED, S.APPLIED)


class PenaltyType(models.TextChoices):
    AVAILABILITY = "availability", _("Availability")
    GTR = "gtr", _("GTR")
    GTI = "gti", _("GTI")
    KPI_RTT = "kpi_rtt_ms", _("Quality: latency (p95)")  # R15: one line per KPI missed
    KPI_LOSS = "kpi_loss_pct", _("Quality: loss")
    KPI_JITTER = "kpi_jitter_ms", _("Quality: jitter")
    MONTHLY_CAP = "monthly_cap", _("Monthly cap (deduction)")
    CONTRACT_CAP = "contract_cap", _("Contract cap (deduction)")


class Penalty(ChangeLoggedModel):
    """One penalty line of a subscription-month (docs/sla.md R11) and where it stands.

    `computed_ht` is the engine's figure in `report`; `amount_ht` what the buyer decides (equal
    until changed). Transitions go through `sla.workflow`, which checks roles and dates.
    """

    contract = models.ForeignKey(
        "inventory.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    link = models.ForeignKey(
        "inventory.Link",
        verbose_name=_("link"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("empty for the contract-cap deduction, which is the whole month's"),
    )
    type = models.CharField(_("type"), max_length=15, choices=PenaltyType.choices)
    ticket = models.CharField(_("ticket"), max_length=100, blank=True)
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="penalties"
    )
    computed_ht = models.DecimalField(_("computed ht"), max_digits=12, decimal_places=2)
    amount_ht = models.DecimalField(_("amount ht"), max_digits=12, decimal_places=2)
    recomputed_ht = models.DecimalField(
        _("recomputed ht"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("a later report's figure, once the line had left `computed` (an adjustment)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PenaltyStatus.choices, default=S.COMPUTED
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    operator_reply = models.TextField(
        _("operator reply"),
        blank=True,
        help_text=_("the operator's reply in the contradictory procedure"),
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("who filed the reply: the operator's account, or staff recording it"),
    )
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("the syndicate's internal comment")
    )

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["contract", "year", "month", "link", "type", "ticket"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year", "month", "link", "type", "ticket"],
                name="penalty_line_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(amount_ht__gte=0) | Q(type__in=("monthly_cap", "contract_cap")),
                name="penalty_not_negative",
            ),
        ]

    def __str__(self) -> str:
        ticket = f" {self.ticket}" if self.ticket else ""
        return f"{self.type}{ticket} link {self.link_id} {self.year}-{self.month:02d}"

    @property
    def answer_due(self) -> Any:
        """End of the contradictoire: decisions wait until then unless the operator replied."""
        return self.notified_at + CONTRADICTOIRE if self.notified_at else None

    @property
    def adjusted(self) -> Decimal:
        return self.amount_ht - self.computed_ht


class PenaltyNotice(models.Model):
    """A notice of penalty lines sent to the operator: the act that opens the contradictory
    procedure (its 15 days run from `sent_at`). Written once, when the relay took the mail."""

    contract = models.ForeignKey(
        "inventory.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="notices"
    )
    lines = models.ManyToManyField(Penalty, verbose_name=_("lines"), related_name="notices")
    total_ht = models.DecimalField(_("total ht"), max_digits=12, decimal_places=2)
    recipients = models.TextField(
        _("recipients"), help_text=_("the addresses the notice went to, one per line")
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255)
    message_id = models.CharField(_("message id"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("penalty notice")
        verbose_name_plural = _("penalty notices")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"notice {self.contract_id} {self.year}-{self.month:02d} {self.sent_at:%Y-%m-%d}"

    @property
    def answer_due(self) -> Any:
        return self.sent_at + CONTRADICTOIRE
