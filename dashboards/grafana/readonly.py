"""The database role Grafana reads through: SELECT on the tables the dashboards query, nothing
else (no API tokens, no users, no paging secrets), read-only transactions by default.

Roles are cluster-wide in PostgreSQL; the name is taken from the database
(`<database>_grafana_ro`) so that test databases running side by side never share one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

GRAFANA_TABLES = (
    "metrics_interface_sample",
    "metrics_device_sample",
    "metrics_interface_5m",
    "metrics_interface_1h",
    "metrics_interface_1d",
    "metrics_status_event",
    "metrics_poll_cycle",
    "metrics_link_probe",
    "metrics_link_probe_5m",
    "metrics_link_probe_1h",
    "metrics_link_probe_1d",
    "inventory_pop",
    "inventory_device",
    "inventory_interface",
    "inventory_link",
    "inventory_establishment",
    "inventory_operator",
    "inventory_contract",
    "inventory_serviceclass",
    "alerting_incident",
    "alerting_incidentimpact",
    "sla_report",
    "sla_monthlyresult",
    "sla_penalty",
)
SUFFIX = "_grafana_ro"
MAX_IDENTIFIER = 63


def role_name(database: str) -> str:
    """`<database>_grafana_ro`, the database part cut so the whole fits PostgreSQL's 63 bytes."""
    if not database:
        raise ValueError("no database name to name the role after")
    head = database.encode()[: MAX_IDENTIFIER - len(SUFFIX)].decode(errors="ignore")
    return head + SUFFIX


@dataclass(frozen=True)
class Grant:
    role: str
    created: bool
    tables: tuple[str, ...]


def grant_readonly(conn: psycopg.Connection[Any], password: str | None = None) -> Grant:
    """Create (or bring back to exactly this) the role; idempotent. Needs CREATEROLE."""
    database = conn.info.dbname
    role = sql.Identifier(role_name(database))
    missing = [t for t in GRAFANA_TABLES if not _exists(conn, t)]
    if missing:
        raise LookupError(f"tables missing (run `menhir migrate` first): {', '.join(missing)}")
    with conn.transaction():
        exists = conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (role_name(database),)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
        options = sql.SQL(
            "ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION"
        ).format(role)
        conn.execute(options)
        if password is not None:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(password)))
        conn.execute(
            sql.SQL("ALTER ROLE {} IN DATABASE {} SET default_transaction_read_only = on").format(
                role, sql.Identifier(database)
            )
        )
        # Start from nothing, so a table dropped from the list loses its grant.
        conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role))
        conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(role))
        conn.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role)
        )
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
        tables = sql.SQL(", ").join(sql.Identifier(t) for t in GRAFANA_TABLES)
        conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(tables, role))
    return Grant(role_name(database), not exists, GRAFANA_TABLES)


def drop_readonly(conn: psycopg.Connection[Any]) -> bool:
    """Remove the role and its grants (tests; decommissioning a Grafana). False if absent."""
    name = role_name(conn.info.dbname)
    if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        return False
    role = sql.Identifier(name)
    with conn.transaction():
        conn.execute(sql.SQL("DROP OWNED BY {}").format(role))
        conn.execute(
            sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(
                sql.Identifier(conn.info.dbname), role
            )
        )
        conn.execute(sql.SQL("DROP ROLE {}").format(role))
    return True


def _exists(conn: psycopg.Connection[Any], table: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s)", (f"public.{table}",)).fetchone()
    return row is not None and row[0] is not None
