"""The store's periodic job and its wiring to Django's settings (the only settings reader here).

`maintain` is what a scheduler runs every few minutes: create the coming days' partitions,
recompute the queued rollup buckets, then drop what is past retention.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from metrics import schema
from metrics.retention import RetentionPolicy, apply_retention
from metrics.rollups import RollupRun, run_rollups
from metrics.writer import MetricsWriter


@dataclass(frozen=True)
class MaintenanceReport:
    partitions_created: list[str]
    rollups: list[RollupRun]
    dropped: list[str]


def maintain(
    conn: psycopg.Connection[Any],
    policy: RetentionPolicy | None = None,
    *,
    now: datetime | None = None,
    days_ahead: int = 3,
) -> MaintenanceReport:
    now = now or datetime.now(UTC)
    with conn.transaction():
        created = schema.ensure_upcoming_partitions(conn, now=now, days_ahead=days_ahead)
    rollups = run_rollups(conn)
    dropped = apply_retention(conn, policy, now=now)
    return MaintenanceReport(created, rollups, dropped)


def conninfo_from_settings() -> str:
    """A libpq conninfo for Django's default database."""
    from django.conf import settings

    return conninfo_for(settings.DATABASES["default"])


def conninfo_for(db: Mapping[str, Any]) -> str:
    """A libpq conninfo from one entry of Django's DATABASES."""
    params = {
        "dbname": db.get("NAME"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v})


def policy_from_settings() -> RetentionPolicy:
    from django.conf import settings

    return RetentionPolicy.from_mapping(getattr(settings, "METRICS_RETENTION_DAYS", {}))


def writer_from_settings() -> MetricsWriter:
    from django.conf import settings

    return MetricsWriter(conninfo_from_settings(), settings.METRICS_SPOOL_DIR)
