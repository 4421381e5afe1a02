"""Every panel's SQL, run the way Grafana runs it (macros expanded, as the read-only role) on the
reference network with three hours of polled data: rows of the shape each panel type reads, the
values written, and one table scanned at each zoom."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from dashboards.grafana.alerts import RULES, RuleSpec
from dashboards.grafana.boards import establishment, overview, poller, pop, sla
from dashboards.grafana.macros import QueryContext, expand
from dashboards.grafana.render import BOARDS, board_json
from dashboards.grafana.sdk import raw_sql
from simulation.seed import SeedSummary
from tests.dashboards.grafana.network import (
    LOST,
    OVERRUNS,
    RTT_MS,
    SATURATION,
    UNREACHABLE,
    Polled,
    clear_network_data,
    write_network_data,
)
from tests.simulation.seed.test_seed import seeded

__all__ = ["seeded"]
# django_db: so pytest-django sets the test database up (the queries use their own connections).
pytestmark = [pytest.mark.xdist_group("reference-network"), pytest.mark.django_db]

TIME = "timestamp with time zone"
NUMERIC = {"smallint", "integer", "bigint", "real", "double precision", "numeric"}


@pytest.fixture(scope="module")
def polled(
    seeded: SeedSummary, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Polled]:
    with django_db_blocker.unblock():
        data = write_network_data(tmp_path_factory.mktemp("spool"))
    yield data
    with django_db_blocker.unblock():
        clear_network_data()


@dataclass(frozen=True)
class Query:
    board: str
    panel: str
    kind: str  # timeseries, stat, table, state-timeline, variable, annotation
    fmt: str
    sql: str


def all_queries() -> list[Query]:
    found = []
    for uid in sorted(BOARDS):
        model = board_json(uid)
        for panel in model["panels"]:
            for target in panel["targets"]:
                found.append(
                    Query(uid, panel["title"], panel["type"], target["format"], target["rawSql"])
                )
        for variable in model.get("templating", {}).get("list", []):
            found.append(Query(uid, variable["name"], "variable", "table", variable["query"]))
        for annotation in model.get("annotations", {}).get("list", []):
            target = annotation["target"]
            found.append(Query(uid, annotation["name"], "annotation", "table", target["rawSql"]))
    return found


QUERIES = all_queries()


def context(polled: Polled, span: timedelta, interval: timedelta) -> QueryContext:
    end = polled.now + timedelta(minutes=1)
    variables = {"pop": polled.pop_id, "establishment": polled.establishment_id}
    return QueryContext(end - span, end, interval, variables)


def run(polled: Polled, sql: str, ctx: QueryContext) -> tuple[list[tuple[str, str]], list[tuple]]:
    """Columns (name, type) and rows, as the read-only role in a read-only transaction."""
    with psycopg.connect(polled.readonly_conninfo) as conn:
        cur = conn.execute(expand(sql, ctx))
        rows = cur.fetchall()
        assert cur.description is not None
        columns = [(d.name, conn.adapters.types[d.type_code].name) for d in cur.description]
    return [(n, _type_name(t)) for n, t in columns], rows


def _type_name(name: str) -> str:
    return {
        "timestamptz": TIME, "int2": "smallint", "int4": "integer", "int8": "bigint",
        "float4": "real", "float8": "double precision", "bool": "boolean",
    }.get(name, name)  # fmt: skip


# Three hours on raw samples, a day on 5-minute rollups, a month on hourly ones, a year daily.
ZOOMS = {
    "3h": (timedelta(hours=3), timedelta(seconds=10)),
    "24h": (timedelta(hours=24), timedelta(minutes=1)),
    "30d": (timedelta(days=30), timedelta(minutes=30)),
    "1y": (timedelta(days=365), timedelta(hours=12)),
}


def check_shape(query: Query, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    names = [n for n, _ in columns]
    if query.kind in ("timeseries", "state-timeline"):
        assert query.fmt == "time_series"
        assert columns[0] == ("time", TIME), columns
        values = [c for c in columns[1:] if c[0] != "metric"]
        assert values, columns
        assert all(t in NUMERIC for _, t in values), columns
        assert all(t == "text" for n, t in columns if n == "metric"), columns
        times = [r[0] for r in rows]
        assert times == sorted(times)
    elif query.kind == "stat":
        assert len(rows) == 1, rows
        assert len(columns) == 1, columns
        assert columns[0][1] in NUMERIC, columns
    elif query.kind == "table":
        assert query.fmt == "table"
        assert columns
    elif query.kind == "variable":
        assert names == ["__value", "__text"]
    elif query.kind == "annotation":
        assert names == ["time", "timeend", "text", "tags"]
        assert columns[0][1] == TIME
        assert columns[1][1] == TIME
    else:
        raise AssertionError(f"no shape known for {query.kind}")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.board}:{q.panel}")
def test_every_query_returns_its_panel_shape_with_data(query: Query, polled: Polled) -> None:
    for zoom, (span, interval) in ZOOMS.items():
        columns, rows = run(polled, query.sql, context(polled, span, interval))
        check_shape(query, columns, rows)
        # Everything the fixture wrote is inside each range: no panel may come back empty.
        assert rows, f"{zoom}: no rows"
        if query.kind in ("timeseries", "state-timeline"):
            assert any(v is not None for r in rows for v in r[1:]), f"{zoom}: only NULLs"


def test_every_board_and_panel_is_covered() -> None:
    kinds = {q.kind for q in QUERIES}
    assert {"timeseries", "stat", "table", "state-timeline", "variable", "annotation"} <= kinds
    assert {q.board for q in QUERIES} == set(BOARDS)


def _one(polled: Polled, sql: str, zoom: str = "3h") -> list[tuple]:
    return run(polled, sql, context(polled, *ZOOMS[zoom]))[1]


def _sql(panel: Any) -> str:
    return raw_sql(panel)


def test_stats_count_what_was_written(polled: Polled) -> None:
    assert _one(polled, _sql(overview.devices_down())) == [(UNREACHABLE,)]
    assert _one(polled, _sql(overview.open_incidents())) == [(1,)]
    assert _one(polled, _sql(overview.isolated_sites())) == [(1,)]
    assert _one(polled, _sql(poller.overruns())) == [(OVERRUNS,)]
    assert _one(polled, _sql(poller.spooled_now())) == [(2,)]


@pytest.mark.parametrize("zoom", ["3h", "24h", "30d", "1y"])
def test_backbone_traffic_is_the_sum_of_the_backbone_links(polled: Polled, zoom: str) -> None:
    rows = _one(polled, _sql(overview.backbone_traffic()), zoom)
    # Every complete bin holds the constant sum; the first and last may be partial intervals
    # of a rollup bucket, the constant survives averaging anyway.
    assert all(r[1] == pytest.approx(polled.backbone_in_bps) for r in rows), rows[:3]


def test_top_links_put_the_saturated_one_first(polled: Polled) -> None:
    rows = _one(polled, _sql(overview.top_saturated_links()), "24h")
    assert rows[0][0] == polled.saturated_circuit
    assert rows[0][-1] == pytest.approx(SATURATION)
    assert len(rows) == overview.TOP_N


def test_establishment_throughput_carries_its_committed_rate(polled: Polled) -> None:
    rows = _one(polled, _sql(establishment.throughput()))
    assert {r[3] for r in rows} == {polled.committed_down}
    assert max(r[1] for r in rows) >= SATURATION * polled.committed_down


def test_link_status_shows_the_outage(polled: Polled) -> None:
    pop_sql = _sql(pop.per_access_down())
    assert len({r[1] for r in _one(polled, pop_sql)}) >= 2  # one series per access
    rows = _one(polled, _sql(establishment.link_status()))
    assert {r[2] for r in rows} <= {0.0, 1.0}


def test_the_monthly_reports_panel_shows_the_engines_figures(polled: Polled) -> None:
    from sla.models import Penalty, Report

    report = Report.objects.get()
    rows = run(polled, _sql(sla.monthly_reports()), context(polled, *ZOOMS["3h"]))
    columns = [name for name, _ in rows[0]]
    (row,) = rows[1]
    got = dict(zip(columns, row, strict=True))
    assert got["month"] == f"{report.year}-{report.month:02d}"
    assert (got["version"], got["report"]) == (report.version, "provisional")
    assert got["subscriptions"] == report.results.count()
    assert str(got["fleet availability"]) == report.output["fleet_availability_pct"]
    assert str(got["penalties"]) == report.output["total_ht"]
    assert got["subscriptions penalised"] == report.results.filter(total_ht__gt=0).count() >= 1
    lines = _one(polled, _sql(sla.penalty_workflow()))
    assert sum(r[2] for r in lines) == Penalty.objects.count() > 0
    assert {r[1] for r in lines} == {"computed"}


def test_gtr_and_availability_use_the_incidents(polled: Polled) -> None:
    gtr = _one(polled, _sql(sla.gtr_compliance()))
    assert sum(r[3] for r in gtr) == 1  # the restored incident
    availability = _one(polled, _sql(sla.availability_by_class()))
    assert any(r[-1] > 0 for r in availability)  # somebody's class lost downtime
    assert all(r[5] <= 100 for r in availability)


def scanned_tables(polled: Polled, sql: str, ctx: QueryContext) -> set[str]:
    """The store tables (partition parents) a plan reads."""
    with psycopg.connect(polled.admin_conninfo) as conn:
        plan = conn.execute("EXPLAIN (FORMAT JSON) " + expand(sql, ctx)).fetchone()
    assert plan is not None
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        relation = node.get("Relation Name", "")
        if relation.startswith(("metrics_interface", "metrics_link_probe")):
            found.add(relation.split("_p2")[0])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0][0]["Plan"])
    return found


@pytest.mark.parametrize(
    ("zoom", "interval", "table"),
    [
        ("3h", timedelta(seconds=10), "metrics_interface_sample"),
        ("3h", timedelta(hours=1), "metrics_interface_1h"),  # a wide interval goes coarser
        ("24h", timedelta(minutes=1), "metrics_interface_5m"),
        ("30d", timedelta(minutes=30), "metrics_interface_1h"),
        ("1y", timedelta(hours=12), "metrics_interface_1d"),
        ("1y", timedelta(days=1), "metrics_interface_1d"),
    ],
)
def test_one_table_at_the_right_resolution_is_read(
    polled: Polled, zoom: str, interval: timedelta, table: str
) -> None:
    span = ZOOMS[zoom][0]
    for panel in (overview.backbone_traffic(), establishment.throughput()):
        assert scanned_tables(polled, _sql(panel), context(polled, span, interval)) == {table}


@pytest.mark.parametrize(
    ("zoom", "interval", "table"),
    [
        ("3h", timedelta(seconds=10), "metrics_link_probe"),
        ("24h", timedelta(minutes=1), "metrics_link_probe_5m"),
        ("30d", timedelta(minutes=30), "metrics_link_probe_1h"),
        ("1y", timedelta(hours=12), "metrics_link_probe_1d"),
    ],
)
def test_quality_panels_read_one_probe_table_at_the_right_resolution(
    polled: Polled, zoom: str, interval: timedelta, table: str
) -> None:
    span = ZOOMS[zoom][0]
    for panel in (establishment.quality("rtt"), overview.worst_quality_links()):
        assert scanned_tables(polled, _sql(panel), context(polled, span, interval)) == {table}


@pytest.mark.parametrize("zoom", ["3h", "24h", "30d", "1y"])
def test_quality_panels_show_what_was_probed(polled: Polled, zoom: str) -> None:
    """The same figures from the raw slots and from every rollup: the lossy link first."""
    worst = _one(polled, _sql(overview.worst_quality_links()), zoom)
    assert worst[0][0] == polled.lossy_circuit
    assert worst[0][4:] == (pytest.approx(100.0 * LOST / 5), pytest.approx(2 * RTT_MS), 0.5)
    assert all(row[4:] == (0.0, pytest.approx(RTT_MS), 0.5) for row in worst[1:])
    rtt = _one(polled, _sql(establishment.quality("rtt")), zoom)
    lossy = f"primary {polled.lossy_circuit}"
    assert rtt
    assert all(row[2] == pytest.approx(2 * RTT_MS if row[1] == lossy else RTT_MS) for row in rtt)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.uid)
def test_alert_rule_queries_answer_one_number(polled: Polled, rule: RuleSpec) -> None:
    ctx = QueryContext(
        polled.now - timedelta(minutes=9), polled.now + timedelta(minutes=1), timedelta(seconds=15)
    )
    columns, rows = run(polled, rule.sql, ctx)
    assert len(rows) == 1
    assert len(columns) == 1
    assert columns[0][1] in NUMERIC
    expected = {
        "menhir-devices-down": UNREACHABLE, "menhir-sites-cut-off": 1,
        "menhir-poller-overruns": OVERRUNS, "menhir-spool-backlog": 2,
    }  # fmt: skip
    if rule.uid in expected:
        assert rows[0][0] == expected[rule.uid]
        assert rows[0][0] > rule.above  # each fires on the fixture's network
