"""What a poll cycle did, one row per cycle (or per shard, when workers split a cycle), so that
/metrics can report durations and timeouts across processes and restarts."""

from __future__ import annotations

from django.db import models


class CycleStat(models.Model):
    finished_at = models.DateTimeField(db_index=True)
    slot_start = models.DateTimeField(null=True, blank=True)
    # Who ran it: `host:pid`, and the queue or shard when polling is distributed ("" in-process).
    runner = models.CharField(max_length=200, default="")
    shard = models.CharField(max_length=100, default="")
    duration_s = models.FloatField()
    interval_s = models.IntegerField()
    devices = models.IntegerField()
    devices_unreachable = models.IntegerField()
    interfaces = models.IntegerField()
    samples_written = models.IntegerField()
    errors = models.IntegerField()
    spooled = models.BooleanField(default=False)

    class Meta:
        db_table = "ops_cycle_stat"

    def __str__(self) -> str:
        return f"cycle {self.slot_start} {self.shard or 'all'}: {self.duration_s:.1f} s"
