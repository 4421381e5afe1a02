"""Monitoring runs from the poller's samples: the SLA's evidence, kept after raw samples expire.

For each access link and each poll slot (`slot_seconds()`: one poll of the CPEs, aligned on the
epoch like the poller's cycles) of a window, the verdict of `metrics.verdict` (the same rule as
live alerting's) on the link's CPE (the device at its A end) and its uplink (the A end
interface), from the last poll in the slot, and the CPE's latest probe slot (`metrics_link_probe`,
this slot or the one before, as live alerting reads it): DOWN when the CPE did not answer (and
no probe of it answered) or the uplink reported down; UNKNOWN when the CPE did not answer SNMP
but answered probes (a monitoring fault, not an outage), when there was no poll at all in the
slot (collector down, cycle missed), when the uplink is admin-down (the syndicate's own act),
and in a slot where every canary (the core routers and `MENHIR_CANARIES`) was unreachable too:
the collector itself was cut off, as alerting reads it (docs/sla.md, "Monitoring
slot"). Only DOWN and UNKNOWN runs are stored (docs/sla.md: every other slot is UP).

A DOWN run during an alerting incident whose impact on the link's establishment is imputed to a
third party (the syndicate's own PoP or backbone: alerting's root cause decides it) is stored with
`third_party` for that part (docs/sla.md R7).

Run it for closed windows (e.g. each day for the day before, well within the raw retention);
collecting a window again replaces what an earlier collection stored for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q

from alerting.models import IncidentImpact
from common.times import from_seconds
from inventory.choices import DeviceRole
from inventory.models import Device, Link
from metrics.schema import OPER_STATUS_CODES
from metrics.verdict import VERDICTS
from sla.calc.calendar import local_seconds
from sla.models import CollectedWindow, MonitoringRun

SOURCE = "poller"


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(OPER_STATUS_CODES[str(value)])


def verdict_sql(reachable: str, admin_up: str, oper: str, probed: str) -> str:
    """`metrics.verdict`'s rule as a SQL CASE over the stored columns, generated from its
    table (`VERDICTS`), so the SLA and alerting cannot disagree on what "down" is."""
    whens = "\n".join(
        f"    WHEN {reachable} IS NOT DISTINCT FROM {_sql_literal(r)}"
        f" AND {admin_up} IS NOT DISTINCT FROM {_sql_literal(a)}"
        f" AND {oper} IS NOT DISTINCT FROM {_sql_literal(o)}"
        f" AND {probed} IS NOT DISTINCT FROM {_sql_literal(p)} THEN '{state.value}'"
        for (r, a, o, p), state in VERDICTS.items()
    )
    return f"CASE\n{whens}\nEND"


_SQL = """
WITH links(link_id, iface, device) AS (
    SELECT * FROM unnest(%(links)s::bigint[], %(ifaces)s::bigint[], %(devices)s::bigint[])
),
d AS (
    SELECT l.link_id, floor(extract(epoch FROM s.time) / %(slot)s)::bigint AS slot,
           bool_or(s.reachable) AS reachable
    FROM links l JOIN metrics_device_sample s ON s.device_id = l.device
    WHERE s.time >= %(start)s AND s.time < %(end)s
    GROUP BY 1, 2
),
i AS (
    SELECT l.link_id, floor(extract(epoch FROM s.time) / %(slot)s)::bigint AS slot,
           (array_agg(s.admin_up ORDER BY s.time DESC))[1] AS admin_up,
           (array_agg(s.oper_status ORDER BY s.time DESC))[1] AS oper
    FROM links l JOIN metrics_interface_sample s ON s.interface_id = l.iface
    WHERE s.time >= %(start)s AND s.time < %(end)s
    GROUP BY 1, 2
),
p AS (
    SELECT l.link_id, floor(extract(epoch FROM s.time) / %(slot)s)::bigint AS slot,
           (array_agg(s.sent > s.lost ORDER BY s.time DESC, s.sent > s.lost DESC))[1] AS probed
    FROM links l JOIN metrics_link_probe s ON s.device_id = l.device
    WHERE s.time >= %(start)s - make_interval(secs => %(slot)s) AND s.time < %(end)s
      AND s.sent > 0
    GROUP BY 1, 2
),
j AS (
    SELECT d.link_id, d.slot, d.reachable, i.admin_up, i.oper,
           COALESCE(p.probed, pp.probed) AS probed  -- latest probed slot: this one, else the last
    FROM d LEFT JOIN i ON i.link_id = d.link_id AND i.slot = d.slot
    LEFT JOIN p ON p.link_id = d.link_id AND p.slot = d.slot
    LEFT JOIN p AS pp ON pp.link_id = d.link_id AND pp.slot = d.slot - 1
),
v AS (
    SELECT link_id, slot, VERDICT AS state FROM j
),
w AS (
    SELECT link_id, slot, state,
           lag(slot) OVER (PARTITION BY link_id ORDER BY slot) AS prev,
           lead(slot) OVER (PARTITION BY link_id ORDER BY slot) AS next
    FROM v
)
SELECT link_id, slot, state, prev, next FROM w
WHERE state <> 'up' OR prev IS NULL OR next IS NULL OR slot - prev > 1
ORDER BY link_id, slot
""".replace("VERDICT", verdict_sql("j.reachable", "j.admin_up", "j.oper", "j.probed"))


_ISOLATED_SQL = """
SELECT floor(extract(epoch FROM time) / %(slot)s)::bigint AS slot
FROM metrics_device_sample
WHERE device_id = ANY(%(canaries)s) AND time >= %(start)s AND time < %(end)s
GROUP BY 1 HAVING NOT bool_or(reachable)
"""


@dataclass(frozen=True)
class Collected:
    links: int
    down_runs: int
    unknown_runs: int


def _runs(
    rows: list[tuple[int, str, int | None, int | None]],
    first: int,
    last: int,
    isolated: frozenset[int] = frozenset(),
) -> list[tuple[int, int, str]]:
    """(start slot, end slot, state) of one link from its interesting slots, sorted."""
    runs: list[tuple[int, int, str]] = []

    def add(start: int, end: int, state: str) -> None:
        if end <= start:
            return
        if runs and runs[-1][2] == state and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end, state)
        else:
            runs.append((start, end, state))

    if not rows:
        return [(first, last, "unknown")]
    for slot, state, prev, nxt in rows:
        if prev is None and slot > first:
            add(first, slot, "unknown")
        elif prev is not None and slot - prev > 1:
            add(prev + 1, slot, "unknown")
        if state != "up":
            add(slot, slot + 1, "unknown" if slot in isolated else state)
        if nxt is None and slot + 1 < last:
            add(slot + 1, last, "unknown")
    return runs


Span = tuple[int, int]  # [first slot, end slot)


def record_window(start: datetime, end: datetime, source: str) -> None:
    """Record that the monitoring of `[start, end)` is complete (replacing the windows of the
    same source that start inside it): where the collected monitoring ends."""
    CollectedWindow.objects.filter(source=source, start__gte=start, start__lt=end).delete()
    CollectedWindow.objects.create(start=start, end=end, source=source)


def third_party_spans(lo: datetime, hi: datetime, slot_seconds: int) -> dict[int, list[Span]]:
    """Per establishment, the slots of incidents imputed to a third party for it."""
    rows = (
        IncidentImpact.objects.filter(imputability="third_party", incident__start__lt=hi)
        .filter(Q(incident__end__isnull=True) | Q(incident__end__gt=lo))
        .values_list("establishment_id", "incident__start", "incident__end")
    )
    spans: dict[int, list[Span]] = defaultdict(list)
    for establishment, start, end in rows:
        first = int(start.timestamp()) // slot_seconds
        last = -(-int((end or hi).timestamp()) // slot_seconds)
        spans[establishment].append((first, last))
    return spans


def split_third_party(
    runs: list[tuple[int, int, str]], spans: list[Span]
) -> list[tuple[int, int, str, bool]]:
    """The DOWN runs cut where third-party spans begin and end; those parts flagged."""
    out: list[tuple[int, int, str, bool]] = []
    for start, end, state in runs:
        cuts = {start, end}
        if state == "down":
            for s, e in spans:
                cuts |= {c for c in (s, e) if start < c < end}
        bounds = sorted(cuts)
        for a, b in pairwise(bounds):
            third = state == "down" and any(s <= a and b <= e for s, e in spans)
            out.append((a, b, state, third))
    return out


def canary_ids() -> list[int]:
    """The devices whose silence means the collector, not the network, failed."""
    from django.conf import settings

    names = list(settings.MENHIR_CANARIES)
    query = Device.objects.filter(role=DeviceRole.CORE_ROUTER)
    if names:
        query = query | Device.objects.filter(name__in=names)
    return list(query.values_list("pk", flat=True))


def collect_runs(start: datetime, end: datetime, slot_seconds: int) -> Collected:
    """Store the DOWN and UNKNOWN runs of every access link over [start, end) (slot-aligned)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes")
    first = int(start.timestamp()) // slot_seconds
    last = int(end.timestamp()) // slot_seconds
    if last <= first:
        raise ValueError("the window must hold at least one whole slot")
    lo = datetime.fromtimestamp(first * slot_seconds, tz=UTC)
    hi = datetime.fromtimestamp(last * slot_seconds, tz=UTC)
    links = list(
        Link.objects.filter(
            contract__isnull=False, a_interface__isnull=False, establishment__isnull=False
        ).values_list("pk", "a_interface_id", "a_interface__device_id", "establishment_id")
    )
    params = {
        "links": [pk for pk, _, _, _ in links],
        "ifaces": [iface for _, iface, _, _ in links],
        "devices": [device for _, _, device, _ in links],
        "slot": slot_seconds,
        "start": lo,
        "end": hi,
    }
    connection.ensure_connection()
    with connection.connection.cursor() as cur:
        cur.execute(_SQL, params)
        rows = cur.fetchall()
        cur.execute(_ISOLATED_SQL, {**params, "canaries": canary_ids()})
        isolated = frozenset(row[0] for row in cur.fetchall())
    by_link: dict[int, list[tuple[int, str, int | None, int | None]]] = defaultdict(list)
    for link_id, slot, state, prev, nxt in rows:
        by_link[link_id].append((slot, state, prev, nxt))

    def at(slot: int) -> datetime:
        return datetime.fromtimestamp(slot * slot_seconds, tz=UTC)

    spans = third_party_spans(lo, hi, slot_seconds)
    objects = [
        MonitoringRun(
            link_id=pk, start=at(s), end=at(e), state=state, third_party=third, source=SOURCE
        )
        for pk, _, _, site in links
        for s, e, state, third in split_third_party(
            _runs(by_link.get(pk, []), first, last, isolated), spans.get(site, [])
        )
    ]
    with transaction.atomic():
        MonitoringRun.objects.filter(source=SOURCE, start__gte=lo, start__lt=hi).delete()
        MonitoringRun.objects.bulk_create(objects, batch_size=5000)
        record_window(lo, hi, SOURCE)
    return Collected(
        links=len(links),
        down_runs=sum(1 for o in objects if o.state == "down"),
        unknown_runs=sum(1 for o in objects if o.state == "unknown"),
    )


PARIS = ZoneInfo("Europe/Paris")  # the contract's days (R1)


def paris_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The contract's day (23 or 25 hours at a clock change) in UTC."""
    return from_seconds(local_seconds(day, time(0), PARIS)), from_seconds(
        local_seconds(day + timedelta(days=1), time(0), PARIS)
    )


def yesterday(now: datetime) -> date:
    return now.astimezone(PARIS).date() - timedelta(days=1)


def slot_seconds() -> int:
    """The subscriptions' monitoring slot (docs/sla.md R3: one poll of the subscription): the poll
    interval of the CPEs at the links' A end (`MENHIR_POLL_INTERVAL`, or `cpe=` in
    `MENHIR_POLL_INTERVALS`)."""
    from poller.schedule import PollSchedule

    return PollSchedule.from_settings().interval(DeviceRole.CPE)


def collect_day(day: date, slot: int | None = None) -> Collected:
    """One Paris day's runs (running it again replaces them); `slot`: `slot_seconds()`."""
    start, end = paris_day_bounds(day)
    return collect_runs(start, end, slot or slot_seconds())
