"""Maintenance windows: planned works notified by an operator (or the syndicate's own).

Alarms inside a window are recorded but do not page. Whether a window excludes downtime from the
SLA (notified early enough, not curative, never past its planned end: docs/sla.md R7) is the SLA
module's decision; this model keeps the facts it needs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import ChangeLoggedModel


class MaintenanceWindow(ChangeLoggedModel):
    """Planned works on PoPs, devices or links; with none of them, on all of the operator's."""

    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("the operator's notice number")
    )
    operator = models.ForeignKey(
        "inventory.Operator",
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maintenance",
        help_text=_("empty: the syndicate's own works"),
    )
    pops = models.ManyToManyField(
        "inventory.Pop", verbose_name=_("pops"), blank=True, related_name="+"
    )
    devices = models.ManyToManyField(
        "inventory.Device", verbose_name=_("devices"), blank=True, related_name="+"
    )
    links = models.ManyToManyField(
        "inventory.Link", verbose_name=_("links"), blank=True, related_name="+"
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    notified_at = models.DateTimeField(
        _("notified at"), help_text=_("when the notice reached the syndicate")
    )
    curative = models.BooleanField(
        _("curative"),
        default=False,
        help_text=_("urgent repair works: never excluded from the SLA"),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        ordering = ["-planned_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("planned_start")),
                name="maintenance_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["operator", "reference"],
                condition=~models.Q(reference=""),
                name="maintenance_reference_once_per_operator",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            raise ValidationError({"planned_end": "The planned end must come after the start."})

    @property
    def notice_seconds(self) -> int:
        """Elapsed time between the notice and the planned start (negative when notified late)."""
        return int((self.planned_start - self.notified_at).total_seconds())
