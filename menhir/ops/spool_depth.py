"""How many metrics batches wait in the spool, and how many the database rejected."""

from __future__ import annotations

from pathlib import Path


def spool_depth(directory: Path | None = None) -> tuple[int, int]:
    from django.conf import settings

    from metrics.spool import Spool

    spool = Spool(directory or settings.METRICS_SPOOL_DIR)
    rejected = sum(1 for _ in spool.rejected.glob("*.jsonl")) if spool.rejected.is_dir() else 0
    return len(spool.pending()), rejected
