"""The read-only role: named after the database, SELECT on what the dashboards read and nothing
else, read-only transactions, and it cannot write even when it asks to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import errors
from typer.testing import CliRunner

from dashboards.grafana.readonly import GRAFANA_TABLES, drop_readonly, grant_readonly, role_name
from menhir.cli import app
from metrics.maintenance import conninfo_for

pytestmark = pytest.mark.django_db(transaction=True)
# Tables holding secrets or people: never readable by Grafana.
FORBIDDEN = ("core_token", "auth_user", "alerting_alertroute", "inventory_snmpprofile")


@pytest.fixture
def admin() -> Iterator[psycopg.Connection]:
    with psycopg.connect(conninfo_for(connection.settings_dict), autocommit=True) as conn:
        yield conn
        drop_readonly(conn)


def as_role(admin: psycopg.Connection) -> psycopg.Connection:
    return psycopg.connect(
        psycopg.conninfo.make_conninfo(
            conninfo_for(connection.settings_dict), user=role_name(admin.info.dbname)
        ),
        autocommit=True,
    )


def test_the_role_is_named_after_the_database() -> None:
    assert role_name("test_grafana_gw1") == "test_grafana_gw1_grafana_ro"
    long = role_name("x" * 80)
    assert len(long.encode()) == 63
    assert long.endswith("_grafana_ro")
    with pytest.raises(ValueError, match="no database name"):
        role_name("")


def test_grant_is_idempotent(admin: psycopg.Connection) -> None:
    first = grant_readonly(admin)
    second = grant_readonly(admin)
    assert first.created
    assert not second.created
    assert first.role == role_name(admin.info.dbname)
    granted = admin.execute(
        "SELECT table_name FROM information_schema.role_table_grants WHERE grantee = %s ORDER BY 1",
        (first.role,),
    ).fetchall()
    assert {t for (t,) in granted} == set(GRAFANA_TABLES)


def test_the_role_reads_what_grafana_needs(admin: psycopg.Connection) -> None:
    grant_readonly(admin)
    with as_role(admin) as ro:
        for table in GRAFANA_TABLES:
            ro.execute(f"SELECT count(*) FROM {table}").fetchone()


@pytest.mark.parametrize("table", FORBIDDEN)
def test_the_role_cannot_read_anything_else(admin: psycopg.Connection, table: str) -> None:
    grant_readonly(admin)
    with as_role(admin) as ro, pytest.raises(errors.InsufficientPrivilege):
        ro.execute(f"SELECT * FROM {table}")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO metrics_poll_cycle VALUES (now(), 60, 1, 0, 0, 0, 0, 0, false, 0)",
        "UPDATE inventory_link SET committed_down_bps = 0",
        "DELETE FROM alerting_incident",
        "TRUNCATE metrics_interface_5m",
        "CREATE TABLE grafana_was_here (id int)",
    ],
)
def test_the_role_cannot_write(admin: psycopg.Connection, statement: str) -> None:
    grant_readonly(admin)
    with as_role(admin) as ro:
        with pytest.raises(errors.ReadOnlySqlTransaction):
            ro.execute(statement)
        # Even after switching the session to read-write, the privileges are not there.
        ro.execute("SET default_transaction_read_only = off")
        with pytest.raises(errors.InsufficientPrivilege):
            ro.execute(statement)


def test_a_password_is_set_when_given(admin: psycopg.Connection) -> None:
    grant = grant_readonly(admin, password="s3cret-for-grafana")
    row = admin.execute(
        "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = %s", (grant.role,)
    ).fetchone()
    assert row == (True,)


def test_the_command_creates_the_role_and_never_prints_the_password(
    admin: psycopg.Connection, settings: Any
) -> None:
    settings.MENHIR_GRAFANA_DB_PASSWORD = "do-not-print-me"
    result = CliRunner().invoke(app, ["dashboards", "grant-readonly"])
    assert result.exit_code == 0, result.output
    assert f"role {role_name(admin.info.dbname)} created" in result.output
    assert "do-not-print-me" not in result.output
    again = CliRunner().invoke(app, ["dashboards", "grant-readonly"])
    assert "refreshed" in again.output


def test_drop_removes_the_role(admin: psycopg.Connection) -> None:
    grant_readonly(admin)
    assert drop_readonly(admin)
    assert not drop_readonly(admin)
    with pytest.raises(psycopg.OperationalError):
        as_role(admin)
