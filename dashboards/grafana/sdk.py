"""What grafana-foundation-sdk lacks for a PostgreSQL data source: a raw-SQL query and a SQL
annotation target. Both are cog types (a `to_json`, a builder), so the SDK's encoder and panel
builders take them like their own."""

from __future__ import annotations

import typing

from grafana_foundation_sdk.builders.dashboard import AnnotationQuery
from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.cog import variants as cogvariants
from grafana_foundation_sdk.models import dashboard

DATASOURCE_UID = "menhir-postgres"
DATASOURCE_TYPE = "grafana-postgresql-datasource"
DATASOURCE = dashboard.DataSourceRef(type_val=DATASOURCE_TYPE, uid=DATASOURCE_UID)

Format = typing.Literal["time_series", "table"]


class SqlQuery(cogvariants.Dataquery):
    """One query of Grafana's PostgreSQL data source, written as raw SQL (the 'code' editor)."""

    def __init__(self, ref_id: str, raw_sql: str, fmt: Format) -> None:
        self.ref_id = ref_id
        self.raw_sql = raw_sql
        self.format = fmt

    def to_json(self) -> dict[str, object]:
        return {
            "refId": self.ref_id,
            "datasource": DATASOURCE.to_json(),
            "editorMode": "code",
            "format": self.format,
            "rawQuery": True,
            "rawSql": self.raw_sql,
        }


class Sql(cogbuilder.Builder[SqlQuery]):
    """Builder for SqlQuery: `Sql(sql).format("table")`."""

    def __init__(self, raw_sql: str, ref_id: str = "A") -> None:
        self._internal = SqlQuery(ref_id, raw_sql, "time_series")

    def build(self) -> SqlQuery:
        return self._internal

    def format(self, fmt: Format) -> typing.Self:
        self._internal.format = fmt
        return self


class SqlAnnotationTarget(dashboard.AnnotationTarget):
    """An annotation read from SQL: columns `time`, `timeend`, `text`, `tags`."""

    def __init__(self, raw_sql: str) -> None:
        super().__init__()
        self.raw_sql = raw_sql

    def to_json(self) -> dict[str, object]:
        return {
            "refId": "Anno",
            "editorMode": "code",
            "format": "table",
            "rawQuery": True,
            "rawSql": self.raw_sql,
        }


class SqlAnnotationTargetBuilder(cogbuilder.Builder[dashboard.AnnotationTarget]):
    def __init__(self, raw_sql: str) -> None:
        self._internal = SqlAnnotationTarget(raw_sql)

    def build(self) -> dashboard.AnnotationTarget:
        return self._internal


def sql_annotation(name: str, raw_sql: str, color: str) -> AnnotationQuery:
    """A dashboard annotation fed by SQL on the Menhir data source."""
    return (
        AnnotationQuery()
        .name(name)
        .datasource(DATASOURCE)
        .enable(True)
        .icon_color(color)
        .target(SqlAnnotationTargetBuilder(raw_sql))
    )


def raw_sql(panel: cogbuilder.Builder[dashboard.Panel]) -> str:
    """The SQL of a panel's first query (tests and benchmarks run it)."""
    targets = panel.build().targets or []
    if not targets or not isinstance(targets[0], SqlQuery):
        raise ValueError("the panel has no SQL query")
    return targets[0].raw_sql
