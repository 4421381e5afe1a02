"""The distributed mode's tasks: thin wrappers around menhir.distributed (which holds the logic,
callable without a broker)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from menhir import distributed, sla_collection
from menhir.celery import app


def _send(slot_iso: str, shard: str, queue: str) -> None:
    # A shard not started within two intervals is dropped: its next slot takes over.
    expires = 2 * settings.MENHIR_POLL_INTERVAL
    poll_shard.apply_async((slot_iso, shard), queue=queue, expires=expires)


@app.task(name="menhir.dispatch_slot")
def dispatch_slot(now: str | None = None) -> dict[str, Any]:
    """Beat's task: open the current slot and send its shards."""
    result = distributed.dispatch(_send, datetime.fromisoformat(now) if now else None)
    return {
        "slot_start": result.slot_start.isoformat(),
        "sent": result.sent,
        "overrun": result.overrun,
        "closed_late": result.closed_late,
    }


@app.task(name="menhir.poll_shard", bind=True)
def poll_shard(self: Any, slot_start: str, shard: str) -> str:
    """Poll one shard of one slot (idempotent: a redelivery adds nothing)."""
    return distributed.run_shard(slot_start, shard, worker=self.request.hostname or "")


@app.task(
    name="menhir.collect_sla_runs",
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=False,
    max_retries=8,
)
def collect_sla_runs(now: str | None = None) -> str:
    """Beat's daily task: yesterday's monitoring runs for the SLA (menhir.sla_collection); a
    failure is retried 8 times over 75 minutes (collecting again replaces)."""
    when = datetime.fromisoformat(now) if now else datetime.now(UTC)
    return sla_collection.collect_yesterday(when).isoformat()
