"""What distributed polling keeps in the database: counters between cycles, and who polled what.

In the distributed mode a shard's next cycle may run on another worker, so each device's last
counter sample (`CounterState`) lives here, written in the same transaction as the samples it
produced. `PollSlot` and `ShardRun` record each cycle: which shards were sent where, which ran,
overran or were skipped, and when the slot was closed (detection ran once for it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CounterState(models.Model):
    """One device's previous poll (poller.state.DeviceState as JSON)."""

    device_id = models.BigIntegerField(primary_key=True)
    state = models.JSONField()
    updated = models.DateTimeField()

    class Meta:
        verbose_name = _("counter state")
        verbose_name_plural = _("counter states")
        db_table = "poller_counter_state"

    def __str__(self) -> str:
        return f"counters of device {self.device_id}"


class PollSlot(models.Model):
    """One monitoring slot of the distributed mode: the shards it was split into."""

    slot_start = models.DateTimeField(unique=True)
    slot_end = models.DateTimeField()
    dispatched_at = models.DateTimeField()
    shards = models.JSONField(default=list)
    closed_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("poll slot")
        verbose_name_plural = _("poll slots")
        db_table = "poller_poll_slot"
        ordering = ["slot_start"]

    def __str__(self) -> str:
        return f"slot {self.slot_start.isoformat()}"


class ShardState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    SKIPPED_OVERRUN = "skipped_overrun", _("Skipped: the previous slot's run is not finished")
    FAILED = "failed", _("Failed")


class ShardRun(models.Model):
    """One shard of one slot: a task's life, and what its poll found (for the slot's detection)."""

    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="runs")
    shard = models.CharField(max_length=120)
    queue = models.CharField(max_length=120)
    state = models.CharField(max_length=20, choices=ShardState.choices)
    device_ids = models.JSONField(default=list)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    devices = models.PositiveIntegerField(default=0)
    devices_unreachable = models.PositiveIntegerField(default=0)
    interfaces = models.PositiveIntegerField(default=0)
    samples_written = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    spooled = models.BooleanField(default=False)
    down_devices = models.JSONField(default=list)
    down_interfaces = models.JSONField(default=list)
    unknown_interfaces = models.JSONField(
        default=list, help_text=_("interfaces whose verdict was UNKNOWN (metrics.verdict)")
    )
    detail = models.TextField(blank=True)

    class Meta:
        verbose_name = _("shard run")
        verbose_name_plural = _("shard runs")
        db_table = "poller_shard_run"
        constraints = [
            models.UniqueConstraint(fields=["slot", "shard"], name="poller_shard_run_once")
        ]
        indexes = [models.Index(fields=["shard", "state"])]

    def __str__(self) -> str:
        return f"{self.shard} @ {self.slot_id}: {self.state}"
