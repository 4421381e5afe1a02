"""The prober's latest results, read back from the metrics store for a poll cycle's detection.

The prober runs in its own process and writes one row per access link and slot
(`metrics_link_probe`, stamped with the slot's start) a few seconds into the slot; the poll
cycle closes its slot when its own polls are done, which may be before or after that. So
detection reads, per link, the latest probed slot among this one and the one before: at most
one slot old, never older (an older answer says nothing of now). docs/alerting.md, "Probes".
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from psycopg.rows import tuple_row

from metrics.schema import PROBE
from metrics.types import LinkProbe

log = logging.getLogger(__name__)

_QUERY = f"""
SELECT DISTINCT ON (link_id) time, link_id, device_id, method, sent, lost, rtt_min_ms,
       rtt_median_ms, rtt_max_ms, jitter_ms, error
FROM {PROBE.name}
WHERE time >= %(since)s AND time < %(end)s AND sent > 0
ORDER BY link_id, time DESC
"""


def latest_probes(conn: Any, slot_start: datetime, slot_end: datetime) -> list[LinkProbe]:
    """Each link's latest probe result in this slot or the one before."""
    since = slot_start - (slot_end - slot_start)
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(_QUERY, {"since": since, "end": slot_end})
        return [LinkProbe(*row) for row in cur.fetchall()]


def slot_probes(slot_start: datetime, slot_end: datetime) -> list[LinkProbe]:
    """`latest_probes` on Django's connection; none when the store cannot be read (detection
    then works from SNMP alone, as without a prober)."""
    from django.db import connection

    try:
        connection.ensure_connection()
        return latest_probes(connection.connection, slot_start, slot_end)
    except Exception:
        log.exception("could not read the probes of the slot; SNMP alone decides")
        return []
