"""Persist each poll cycle's figures (menhir.ops.models.CycleStat) for /metrics.

Recording never breaks polling: with the database away the row is lost (the samples themselves
are spooled by the metrics writer) and a warning is logged.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from menhir.polling import CycleSummary

log = logging.getLogger(__name__)
KEEP_DAYS = 30


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def record_cycle(summary: CycleSummary, interval_s: int, shard: str = "") -> bool:
    """Store one cycle's summary; returns False when the database did not take it."""
    from django.db import DatabaseError

    from menhir.ops.models import CycleStat

    slot = datetime.fromisoformat(summary.slot_start) if summary.slot_start else None
    try:
        CycleStat.objects.create(
            finished_at=datetime.now(UTC),
            slot_start=slot,
            runner=runner_name(),
            shard=shard,
            duration_s=summary.duration_s,
            interval_s=interval_s,
            devices=summary.devices,
            devices_unreachable=summary.devices_unreachable,
            interfaces=summary.interfaces,
            samples_written=summary.samples_written,
            errors=summary.errors,
            spooled=summary.spooled,
        )
    except DatabaseError as exc:
        log.warning("cycle figures not recorded (database: %s)", exc)
        return False
    return True


def prune(now: datetime | None = None, keep_days: int = KEEP_DAYS) -> int:
    """Drop cycle rows older than `keep_days` (called by `menhir metrics maintain`'s cycle)."""
    from datetime import timedelta

    from menhir.ops.models import CycleStat

    limit = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    deleted, _ = CycleStat.objects.filter(finished_at__lt=limit).delete()
    return deleted
