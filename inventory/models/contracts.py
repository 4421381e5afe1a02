"""Operators, the public contracts (lots) they hold and the service classes those contracts define.

Every SLA number is contract data with effective dates, never a constant in code (docs/sla.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import PrimaryModel
from core.models import default_language
from inventory.choices import Schedule


class Operator(PrimaryModel):
    """A telecom operator (provider) the syndicate buys links from."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    noc_email = models.EmailField(_("NOC e-mail"), blank=True)
    noc_phone = models.CharField(_("NOC phone"), max_length=30, blank=True)
    portal_url = models.URLField(_("portal URL"), blank=True)
    # The language of the notices the syndicate sends it (penalty notices).
    language = models.CharField(
        _("language of notices"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=default_language,
    )

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inventory:operator", args=[self.pk])


class OperatorAccount(models.Model):
    """Binds a user holding the `operator` role to the operator whose links it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="operator_account",
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="accounts"
    )

    class Meta:
        verbose_name = _("operator account")
        verbose_name_plural = _("operator accounts")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} → {self.operator}"


def _default_business_days() -> list[str]:
    return ["mon", "tue", "wed", "thu", "fri"]


# Contract rates and targets are shares: from 0 to 100 %.
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]

# A contract reference names report files and downloads: a safe character set, checked here.
REFERENCE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9 ._-]*\Z",
    "A reference holds letters, digits, spaces, '.', '_' and '-', and starts with a letter "
    "or a digit.",
)


class Contract(PrimaryModel):
    """A public contract (marché) or one of its lots, held by one operator."""

    reference = models.CharField(
        _("reference"),
        max_length=50,
        unique=True,
        validators=[REFERENCE_VALIDATOR],
        help_text=_("letters, digits, spaces, '.', '_' and '-' (it names files and downloads)"),
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="contracts"
    )
    title = models.CharField(_("title"), max_length=200)
    lot = models.CharField(_("lot"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    amount_total_ht = models.DecimalField(_("total amount (€ HT)"), max_digits=14, decimal_places=2)
    penalty_cap_contract_pct = models.DecimalField(
        _("penalty cap contract pct"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENT,
    )
    exemption_threshold_ht = models.DecimalField(
        _("exemption threshold ht"), max_digits=12, decimal_places=2, default=Decimal("1000")
    )
    penalties_to_date_ht = models.DecimalField(
        _("penalties to date ht"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    timezone = models.CharField(_("timezone"), max_length=50, default="Europe/Paris")
    business_days = models.JSONField(_("business days"), default=_default_business_days)
    business_start = models.TimeField(_("business start"), default="08:00")
    business_end = models.TimeField(_("business end"), default="18:00")
    maintenance_notice_days = models.PositiveSmallIntegerField(
        _("maintenance notice days"), default=10
    )
    reopen_window_hours = models.PositiveSmallIntegerField(_("reopen window hours"), default=72)
    skew_tolerance_seconds = models.PositiveIntegerField(_("skew tolerance seconds"), default=120)
    detector_n_down = models.PositiveSmallIntegerField(_("outage after N bad polls"), default=5)
    detector_n_up = models.PositiveSmallIntegerField(_("recovery after N good polls"), default=10)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("inventory:contract", args=[self.pk])

    def clean(self) -> None:
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The contract cannot end before it starts."})


class ServiceClass(PrimaryModel):
    """A class of service of a contract (e.g. premium fibre), valid from `effective_from`."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="service_classes",
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    availability_schedule = models.CharField(
        _("availability schedule"), max_length=10, choices=Schedule.choices, default=Schedule.ALWAYS
    )
    availability_target_pct = models.DecimalField(
        _("availability target pct"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    # [[threshold_pct, penalty_rate_pct], …] from the highest threshold down (docs/sla.md R10).
    availability_tiers = models.JSONField(_("availability tiers"), default=list, blank=True)
    gtr_minutes = models.PositiveIntegerField(_("GTR (minutes)"), null=True, blank=True)
    gtr_clock = models.CharField(
        _("gtr clock"), max_length=10, choices=Schedule.choices, default=Schedule.ALWAYS
    )
    gtr_penalty_pct_per_started_hour = models.DecimalField(
        _("gtr penalty pct per started hour"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    gti_minutes = models.PositiveIntegerField(_("GTI (minutes)"), null=True, blank=True)
    gti_clock = models.CharField(
        _("gti clock"), max_length=10, choices=Schedule.choices, default=Schedule.ALWAYS
    )
    gti_penalty_pct = models.DecimalField(
        _("gti penalty pct"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    monthly_cap_pct = models.DecimalField(
        _("monthly cap pct"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("100"),
        validators=PERCENT,
    )
    # Quality KPIs (docs/sla.md R15): targets measured by the prober, each optional; the penalty
    # and the minimum coverage are required as soon as one target is set.
    kpi_rtt_ms = models.DecimalField(
        _("RTT target (ms, p95)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    kpi_loss_pct = models.DecimalField(
        _("loss target (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    kpi_jitter_ms = models.DecimalField(
        _("jitter target (ms, mean)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    kpi_penalty_pct = models.DecimalField(
        _("penalty per KPI missed (% of the fee)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    kpi_min_coverage_pct = models.DecimalField(
        _("minimum probe coverage (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    # Operational, not contractual: when alerting calls a link of this class saturated.
    saturation_alert_pct = models.DecimalField(
        _("saturation alert (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1000"))],
        help_text=_(
            "Share of the committed rate at which alerting calls a link of this class "
            "saturated (empty: MENHIR_SATURATION_PCT)."
        ),
    )

    class Meta:
        verbose_name = _("service class")
        verbose_name_plural = _("service classes")
        ordering = ["contract", "name", "effective_from"]
        verbose_name_plural = _("service classes")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "slug", "effective_from"], name="serviceclass_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} / {self.name}"

    KPI_TARGETS = {"rtt_ms": "kpi_rtt_ms", "loss_pct": "kpi_loss_pct", "jitter_ms": "kpi_jitter_ms"}

    def kpi_targets(self) -> dict[str, Decimal]:
        """The class's R15 targets that are set, by KPI name (`rtt_ms`, `loss_pct`, `jitter_ms`)."""
        values = {kpi: getattr(self, field) for kpi, field in self.KPI_TARGETS.items()}
        return {kpi: value for kpi, value in values.items() if value is not None}

    def _clean_kpis(self) -> None:
        if not self.kpi_targets():
            return
        missing = {
            field: _("Required when the class has a quality KPI target.")
            for field in ("kpi_penalty_pct", "kpi_min_coverage_pct")
            if getattr(self, field) is None
        }
        if missing:
            raise ValidationError(missing)

    def clean(self) -> None:
        self._clean_kpis()
        tiers = self.availability_tiers or []
        try:
            thresholds = [Decimal(str(t[0])) for t in tiers]
            rates = [Decimal(str(t[1])) for t in tiers]
            if not all(v.is_finite() for v in [*thresholds, *rates]):
                raise ValueError("not finite")
        except (TypeError, IndexError, ArithmeticError, ValueError):
            raise ValidationError(
                {"availability_tiers": "Expected [[threshold_pct, rate_pct], …] with numbers."}
            ) from None
        if not all(0 <= v <= 100 for v in [*thresholds, *rates]):
            raise ValidationError(
                {"availability_tiers": "Thresholds and rates are percentages, from 0 to 100."}
            )
        if thresholds != sorted(thresholds, reverse=True):
            raise ValidationError(
                {"availability_tiers": "Tiers go from the highest threshold down."}
            )
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "Cannot end before it starts."})
