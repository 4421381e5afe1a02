"""The macro expander: Grafana's PostgreSQL macros and template variables, and its refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboards.grafana.macros import MacroError, QueryContext, expand, format_interval

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
END = datetime(2026, 11, 2, 14, 30, 15, tzinfo=UTC)


def ctx(**variables: object) -> QueryContext:
    return QueryContext(START, END, timedelta(minutes=5), variables)  # type: ignore[arg-type]


def test_time_filter_from_and_to_as_grafana_writes_them() -> None:
    sql = "SELECT 1 WHERE $__timeFilter(s.time) AND $__timeFrom() < $__timeTo()"
    assert expand(sql, ctx()) == (
        "SELECT 1 WHERE s.time BETWEEN '2026-11-02T08:00:00Z' AND '2026-11-02T14:30:15Z'"
        " AND '2026-11-02T08:00:00Z' < '2026-11-02T14:30:15Z'"
    )


def test_interval_and_epoch_milliseconds() -> None:
    sql = "$__interval $__interval_ms $__from $__to"
    assert expand(sql, ctx()) == "5m 300000 1793606400000 1793629815000"


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(days=2), "2d"),
        (timedelta(hours=3), "3h"),
        (timedelta(minutes=90), "90m"),
        (timedelta(seconds=20), "20s"),
        (timedelta(milliseconds=1500), "1500ms"),
    ],
)
def test_interval_text(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text


def test_variables_single_braced_and_multi_value() -> None:
    sql = "id = $establishment OR id = ${establishment} OR code IN ($codes)"
    expanded = expand(sql, ctx(establishment=42, codes=["a", "o'b"]))
    assert expanded == "id = 42 OR id = 42 OR code IN ('a','o''b')"


def test_a_longer_name_is_not_cut_by_a_shorter_one() -> None:
    assert expand("$pop $pops", ctx(pop=1, pops=2)) == "1 2"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("$__timeGroup(time, 5m)", r"unknown Grafana macro \$__timeGroup"),
        ("$missing", r"template variable \$missing has no value"),
        ("$__timeFilter()", "needs a column"),
        ("$__timeFrom(x)", "takes no argument"),
        ("$empty", "at least one value"),
    ],
)
def test_what_is_not_understood_is_refused(sql: str, message: str) -> None:
    with pytest.raises(MacroError, match=message):
        expand(sql, ctx(empty=[]))


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(MacroError, match="empty time range"):
        QueryContext(END, START, timedelta(minutes=1))
    with pytest.raises(MacroError, match="timezone-aware"):
        QueryContext(START.replace(tzinfo=None), END, timedelta(minutes=1))
    with pytest.raises(MacroError, match="positive"):
        QueryContext(START, END, timedelta(0))
