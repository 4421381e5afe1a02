"""Expand the Grafana macros and template variables the panels use, as Grafana's PostgreSQL data
source does before it sends a query: so the tests can run every panel's SQL on a real database.

Supported: `$__timeFilter(col)` (`col BETWEEN 'from' AND 'to'`), `$__timeFrom()`, `$__timeTo()`,
`$__interval` (Grafana's short form: 20s, 5m, 1h, 1d), `$__interval_ms`, `$__from`, `$__to`
(epoch milliseconds), and template variables `$name` / `${name}`: a single value goes in as is,
a list (multi-value) as a comma-separated list of quoted strings. Anything else is an error, never
left in the SQL for PostgreSQL to misread.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

Value = str | int | float | Sequence[str]


class MacroError(ValueError):
    """A macro or variable the expander does not know, or a bad time range."""


@dataclass(frozen=True)
class QueryContext:
    """What Grafana knows when it sends a query: the range, the interval, the variables."""

    start: datetime
    end: datetime
    interval: timedelta
    variables: Mapping[str, Value] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise MacroError("the time range needs timezone-aware datetimes")
        if self.end <= self.start:
            raise MacroError(f"empty time range: {self.start} .. {self.end}")
        if self.interval <= timedelta(0):
            raise MacroError(f"the interval must be positive, not {self.interval}")


def format_interval(interval: timedelta) -> str:
    """Grafana's `$__interval` text: the largest unit that divides it (1d, 1h, 5m, 20s, 500ms)."""
    ms = round(interval.total_seconds() * 1000)
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        if ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms}ms"


def _timestamp(moment: datetime) -> str:
    return "'" + moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "'"


def _epoch_ms(moment: datetime) -> str:
    return str(round(moment.timestamp() * 1000))


_FUNCTION = re.compile(r"\$__(timeFilter|timeFrom|timeTo)\(([^)]*)\)")
_NAME = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def _variable(value: Value) -> str:
    if isinstance(value, str | int | float):
        return str(value)
    if not value:
        raise MacroError("a multi-value variable needs at least one value")
    return ",".join("'" + str(v).replace("'", "''") + "'" for v in value)


def expand(sql: str, ctx: QueryContext) -> str:
    """The SQL Grafana would send for this range, interval and these variables."""

    def function(match: re.Match[str]) -> str:
        name, argument = match.group(1), match.group(2).strip()
        if name == "timeFilter":
            if not argument:
                raise MacroError("$__timeFilter needs a column")
            return f"{argument} BETWEEN {_timestamp(ctx.start)} AND {_timestamp(ctx.end)}"
        if argument:
            raise MacroError(f"$__{name}() takes no argument, got {argument!r}")
        return _timestamp(ctx.start if name == "timeFrom" else ctx.end)

    builtins = {
        "__interval_ms": str(round(ctx.interval.total_seconds() * 1000)),
        "__interval": format_interval(ctx.interval),
        "__from": _epoch_ms(ctx.start),
        "__to": _epoch_ms(ctx.end),
    }

    def name(match: re.Match[str]) -> str:
        key = match.group(1) or match.group(2)
        if key in builtins:
            return builtins[key]
        if key.startswith("__"):
            raise MacroError(f"unknown Grafana macro ${key}")
        if key not in ctx.variables:
            raise MacroError(f"template variable ${key} has no value")
        return _variable(ctx.variables[key])

    return _NAME.sub(name, _FUNCTION.sub(function, sql))
