"""Discovery runs and their drift findings, each accepted into the inventory or dismissed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DiscoveryRun(models.Model):
    started = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, help_text=_("napalm or lldp-snmp"))
    devices_queried = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=dict, blank=True, help_text=_("device name → error"))

    class Meta:
        verbose_name = _("discovery run")
        verbose_name_plural = _("discovery runs")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.source} discovery of {self.started:%Y-%m-%d %H:%M}"


class FindingKind(models.TextChoices):
    MISSING = "missing", _("Documented, not seen")
    WRONG_PORT = "wrong_port", _("Seen on other ports")
    UNDOCUMENTED = "undocumented", _("Seen, not documented")
    UNKNOWN_NEIGHBOUR = "unknown_neighbour", _("Neighbour not in the inventory")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted into the inventory")
    DISMISSED = "dismissed", _("Dismissed")


class DriftFinding(models.Model):
    run = models.ForeignKey(DiscoveryRun, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    status = models.CharField(
        max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    link = models.ForeignKey(
        "inventory.Link", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    a_device = models.CharField(max_length=100)
    a_port = models.CharField(max_length=64)
    z_device = models.CharField(
        max_length=100, help_text=_("a device name, or the neighbour's system name")
    )
    z_port = models.CharField(max_length=64)
    seen_a_port = models.CharField(max_length=64, blank=True)
    seen_z_port = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("drift finding")
        verbose_name_plural = _("drift findings")
        ordering = ["kind", "a_device", "a_port"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        ends = f"{self.a_device} {self.a_port} – {self.z_device} {self.z_port}"
        return f"{self.get_kind_display()}: {ends}"
