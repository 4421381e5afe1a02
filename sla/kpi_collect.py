"""R15's `kpi_measurements`: the prober's stored slots aggregated over each subscription's
counted slots, written into the evaluation file the monthly report builds.

The counted slots come from the engine itself (`sla.calc.evaluator.counted_slots`, reading the
file's own runs, maintenance, schedule and `as_of`), so the `slots` written here are the ones
the engine recounts: the database side and the engine cannot count differently. Per link, over
the probe rows whose slot start is counted: `probed_slots` = slots with probes sent, `sent`,
`lost`, `rtt_ms_p95` = the 95th percentile, nearest rank, of the slots' RTTs (a slot's RTT is the
median of its answered probes, as the prober stores it), `jitter_ms_mean` = the mean of the
slots' jitters; both rounded half-up to 3 decimals, `null` when no slot has one.
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection

from common.times import from_seconds
from sla.calc.evaluator import counted_slots
from sla.calc.kpis import count_starts
from sla.calc.parser import parse_evaluation

AGGREGATES = """
WITH counted AS (
    SELECT * FROM unnest(%(links)s::bigint[], %(los)s::timestamptz[], %(his)s::timestamptz[])
        AS r(link_id, lo, hi)
)
SELECT l.link_id, a.*
FROM (SELECT DISTINCT link_id FROM counted) l
CROSS JOIN LATERAL (
    SELECT count(DISTINCT floor(extract(epoch FROM p.time) / %(slot)s))
               FILTER (WHERE p.sent > 0),
           coalesce(sum(p.sent), 0),
           coalesce(sum(p.lost), 0),
           round(percentile_disc(0.95) WITHIN GROUP (ORDER BY p.rtt_median_ms)::numeric, 3),
           round(avg(p.jitter_ms)::numeric, 3)
    FROM counted c
    JOIN metrics_link_probe p ON p.link_id = c.link_id AND p.time >= c.lo AND p.time < c.hi
    WHERE c.link_id = l.link_id AND p.time >= %(start)s AND p.time < %(end)s
) a
"""


# One link at a time (LATERAL): each link's month (43,200 rows) is sorted in memory for its
# percentile, instead of the whole contract's month sorted on disk by link (200 links × 30 days:
# a 321 MB external sort). About 60–90 ms per link-month on 2 shared cores (docs/sla.md).


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.3f}"


def _readable(document: dict[str, Any]) -> dict[str, Any]:
    """The file without its classes' `kpis`: readable by the parser before the measurements
    those classes require are written."""
    plain = copy.deepcopy(document)
    for cls in plain["service_classes"].values():
        cls.pop("kpis", None)
    return plain


def add_kpi_measurements(document: dict[str, Any], link_ids: dict[str, int]) -> None:
    """Write `kpi_measurements` into each subscription whose class has `kpis` (in place)."""
    classes = document["service_classes"]
    measured = [s for s in document["subscriptions"] if "kpis" in classes[s["service_class"]]]
    if not measured:
        return
    slot = document["contract"]["detector"]["slot_seconds"]
    spans = counted_slots(parse_evaluation(_readable(document)))
    links: list[int] = []
    los: list[datetime] = []
    his: list[datetime] = []
    for sub in measured:
        for first, stop in spans[sub["id"]]:
            links.append(link_ids[sub["id"]])
            los.append(from_seconds(first))
            his.append(from_seconds(stop))
    rows: dict[int, tuple[Any, ...]] = {}
    if links:
        with connection.cursor() as cur:
            cur.execute(
                AGGREGATES,
                {
                    "links": links,
                    "los": los,
                    "his": his,
                    "slot": slot,
                    "start": min(los),
                    "end": max(his),
                },
            )
            rows = {row[0]: row[1:] for row in cur.fetchall()}
    for sub in measured:
        probed, sent, lost, rtt, jitter = rows.get(link_ids[sub["id"]], (0, 0, 0, None, None))
        sub["kpi_measurements"] = {
            "slots": count_starts(spans[sub["id"]], slot),
            "probed_slots": int(probed),
            "sent": int(sent),
            "lost": int(lost),
            "rtt_ms_p95": _text(rtt),
            "jitter_ms_mean": _text(jitter),
        }
