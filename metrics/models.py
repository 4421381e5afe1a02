"""Django's read view of the store's poll-cycle table (metrics_poll_cycle, created by
metrics.schema): /metrics aggregates it with the ORM. Unmanaged: the schema module owns the
table, on TimescaleDB and plain PostgreSQL alike."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PollCycle(models.Model):
    time = models.DateTimeField(_("time"), primary_key=True)  # the cycle's slot start
    interval_s = models.IntegerField(_("interval s"))
    duration_s = models.FloatField(_("duration s"))
    devices = models.IntegerField(_("devices"))
    unreachable = models.IntegerField(_("unreachable"))
    errors = models.IntegerField(_("errors"))
    timeouts = models.IntegerField(_("timeouts"))
    samples = models.IntegerField(_("samples"))
    spooled = models.BooleanField(_("spooled"))
    spool_batches = models.IntegerField(_("spool batches"))

    class Meta:
        verbose_name = _("poll cycle")
        verbose_name_plural = _("poll cycles")
        managed = False
        db_table = "metrics_poll_cycle"

    def __str__(self) -> str:
        return f"cycle {self.time:%Y-%m-%d %H:%M}: {self.duration_s:.1f} s"
