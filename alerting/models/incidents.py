"""Incidents, what they impact, their timeline, paging routes and notifications, and the
detector state kept between poll cycles."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alerting.models.tickets import Imputability
from common.fields import EncryptedCharField
from core.models import default_language


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")
    WARNING = "warning", _("Warning")


SEVERITY_RANK = {Severity.WARNING: 0, Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


def severity_rank() -> models.Case:
    """SEVERITY_RANK in SQL, to sort incidents by severity (the labels do not sort)."""
    whens = (models.When(severity=s, then=models.Value(r)) for s, r in SEVERITY_RANK.items())
    return models.Case(*whens, output_field=models.IntegerField())


class IncidentKind(models.TextChoices):
    POP_DOWN = "pop_down", _("PoP down")
    DEVICE_DOWN = "device_down", _("Device unreachable")
    ACCESS_DOWN = "access_down", _("Access link down")
    BACKBONE_LINK_DOWN = "backbone_link_down", _("Backbone link down")
    SATURATION = "saturation", _("Saturation")
    ERROR_RATE = "error_rate", _("Error-rate spike")
    MONITORING_FAULT = "monitoring_fault", _("Monitoring fault (SNMP agent silent)")
    LATENCY = "latency", _("Latency above target")
    LOSS = "loss", _("Packet loss above target")
    JITTER = "jitter", _("Jitter above target")


class Incident(models.Model):
    """One failure with its root cause, its impact and its paging history."""

    kind = models.CharField(_("kind"), max_length=30, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    element_key = models.CharField(
        _("element key"),
        max_length=40,
        db_index=True,
        help_text=_("pop:<id>, device:<id>, link:<id>"),
    )
    root_kind = models.CharField(_("root kind"), max_length=20)  # pop | device | link
    root_id = models.PositiveBigIntegerField(_("root id"))
    root_name = models.CharField(_("root name"), max_length=200)
    operator = models.ForeignKey(
        "inventory.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        help_text=_("Responsible operator; empty for the syndicate's own elements."),
    )
    start = models.DateTimeField(
        _("start"), db_index=True, help_text=_("First bad poll (backdated)")
    )
    end = models.DateTimeField(_("end"), null=True, blank=True, db_index=True)
    detected_at = models.DateTimeField(_("detected at"))
    impacted_count = models.PositiveIntegerField(_("impacted count"), default=0)
    degraded_count = models.PositiveIntegerField(_("degraded count"), default=0)
    impacted_by_category = models.JSONField(_("impacted by category"), default=dict, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=150, blank=True)
    ticket_reference = models.CharField(_("operator ticket"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    in_maintenance = models.BooleanField(_("in maintenance"), default=False)
    flapping = models.BooleanField(_("flapping"), default=False)
    reopen_count = models.PositiveIntegerField(_("reopen count"), default=0)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["end", "start"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.root_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("alerting:incident", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.end is None

    def root_url(self) -> str | None:
        """The page of the element at the root of the incident (a PoP, device or link)."""
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse(f"inventory:{self.root_kind}", args=[self.root_id])
        except NoReverseMatch:
            return None


class ImpactState(models.TextChoices):
    ISOLATED = "isolated", _("Isolated")
    DEGRADED = "degraded", _("Degraded (lost redundancy)")


class IncidentImpact(models.Model):
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="impacts"
    )
    establishment = models.ForeignKey(
        "inventory.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=ImpactState.choices)
    # docs/sla.md R7: downtime caused by an element outside the link operator's contract.
    imputability = models.CharField(
        _("imputability"),
        max_length=20,
        choices=Imputability.choices,
        default=Imputability.OPERATOR,
    )

    class Meta:
        verbose_name = _("incident impact")
        verbose_name_plural = _("incident impacts")
        constraints = [
            models.UniqueConstraint(fields=["incident", "establishment"], name="impact_once")
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id} {self.state} in #{self.incident_id}"


class IncidentEvent(models.Model):
    """The incident's timeline: opened, paged, acknowledged, escalated, flapped, recovered…"""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="events"
    )
    time = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=30)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
        ordering = ["time", "pk"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.kind}"


class MicroOutage(models.Model):
    """A bad run shorter than n_down polls: recorded, never paged, never downtime."""

    element_key = models.CharField(_("element key"), max_length=40, db_index=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("micro outage")
        verbose_name_plural = _("micro outages")

    def __str__(self) -> str:
        return f"micro-outage {self.element_key} {self.start:%Y-%m-%d %H:%M}"


class ElementState(models.Model):
    """The outage detector's state for one element, so cycles (and restarts) resume exactly."""

    element_key = models.CharField(_("element key"), max_length=40, unique=True)
    detector = models.JSONField(_("detector"), default=dict)
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_seen_down = models.DateTimeField(_("last seen down"), null=True, blank=True)

    class Meta:
        verbose_name = _("element state")
        verbose_name_plural = _("element states")

    def __str__(self) -> str:
        return self.element_key


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class AlertRoute(models.Model):
    """Who gets paged: per operator (empty = the syndicate's own NOC), from a severity up, at an
    escalation level (0 = first page; level 1 if level 0 has not acknowledged in time…)."""

    name = models.CharField(_("name"), max_length=100)
    operator = models.ForeignKey(
        "inventory.Operator",
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_routes",
    )
    min_severity = models.CharField(
        _("min severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(
        _("target"), max_length=300, help_text=_("e-mail address or webhook URL")
    )
    secret = EncryptedCharField(_("secret"), blank=True, help_text=_("webhook HMAC secret"))
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate after minutes"),
        null=True,
        blank=True,
        help_text=_("page the next level when not acknowledged within this delay"),
    )
    active = models.BooleanField(_("active"), default=True)
    # The language its pages are written in: an operator's NOC reads French, a partner may not.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=default_language
    )

    class Meta:
        verbose_name = _("alert route")
        verbose_name_plural = _("alert routes")
        ordering = ["operator__name", "level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.channel} → {self.target})"

    def clean(self) -> None:
        """A webhook is an http(s) URL, an e-mail route an address: checked when saved, so
        the notifier is never handed a `file:` or `data:` URL."""
        from django.core.validators import validate_email

        from alerting.notifiers.webhook import is_web_url

        if self.channel == Channel.WEBHOOK and not is_web_url(self.target):
            raise ValidationError({"target": "A webhook is an http:// or https:// URL."})
        if self.channel == Channel.EMAIL:
            try:
                validate_email(self.target)
            except ValidationError:
                raise ValidationError({"target": "Not an e-mail address."}) from None


class NotificationKind(models.TextChoices):
    PAGE = "page", _("Page")
    ESCALATION = "escalation", _("Escalation")
    RECOVERY = "recovery", _("Recovery")


class Notification(models.Model):
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="notifications"
    )
    route = models.ForeignKey(
        AlertRoute, verbose_name=_("route"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=300)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    ack_nonce = models.CharField(_("ack nonce"), max_length=32, unique=True)
    ack_used_at = models.DateTimeField(_("ack used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "route", "kind"], name="notify_once_per_route"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of #{self.incident_id} to {self.recipient}"
