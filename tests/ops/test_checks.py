"""`menhir check`: each check on real services, and the command's exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.checks import ERROR, INFO, WARNING, CheckMessage
from django.test.utils import override_settings

from menhir.ops import checks
from metrics.schema import create_schema
from metrics.spool import Batch, Spool
from tests.metrics.servers import TimescaleServer
from tests.ops.conftest import NOTHING_LISTENS, subprocess_database_url

MENHIR = str(Path(sys.executable).parent / "menhir")
GOOD_KEY = "k" * 50
GOOD_TOKEN = "t" * 24


def ids(found: list[CheckMessage]) -> dict[str, int]:
    return {str(m.id): m.level for m in found}


PRODUCTION_OK: dict[str, Any] = {
    "MENHIR_PRODUCTION": True,
    "SECRET_KEY": GOOD_KEY,
    "MENHIR_SECRET_KEY_FROM_ENV": True,
    "MENHIR_SECRETS_KEY": "s" * 50,
    "DEBUG": False,
    "MENHIR_METRICS_TOKEN": GOOD_TOKEN,
    "MENHIR_TLS": True,
    "MENHIR_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def configuration(**changes: Any) -> dict[str, int]:
    with override_settings(**{**PRODUCTION_OK, **changes}):
        return ids(checks.check_configuration())


def test_a_good_production_configuration_passes() -> None:
    assert configuration() == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"SECRET_KEY": "change-me-secret-key"}, {"menhir.E001": ERROR}),
        ({"MENHIR_SECRET_KEY_FROM_ENV": False}, {"menhir.E002": ERROR}),
        ({"SECRET_KEY": "short", "MENHIR_SECRETS_KEY": "s" * 50}, {"menhir.E003": ERROR}),
        ({"DEBUG": True}, {"menhir.E004": ERROR}),
        ({"MENHIR_SECRETS_KEY": "change-me-secrets-key"}, {"menhir.E005": ERROR}),
        ({"MENHIR_SECRETS_KEY": GOOD_KEY}, {"menhir.W006": WARNING}),
        ({"MENHIR_METRICS_TOKEN": ""}, {"menhir.W007": WARNING}),
        ({"MENHIR_METRICS_TOKEN": "abc"}, {"menhir.E008": ERROR}),
        ({"MENHIR_METRICS_TOKEN": "change-me-metrics-token"}, {"menhir.E008": ERROR}),
        ({"MENHIR_POLL_INTERVALS": "cpe=90"}, {"menhir.E009": ERROR}),
        ({"MENHIR_POLL_INTERVALS": "router=300"}, {"menhir.E009": ERROR}),
        ({"MENHIR_TLS": False}, {"menhir.E010": ERROR}),
        ({"MENHIR_PROXY_SSL_HEADER": ""}, {"menhir.W011": WARNING}),
    ],
)
def test_each_misconfiguration_is_named(changes: dict[str, Any], expected: dict[str, int]) -> None:
    assert configuration(**changes) == expected


def test_development_tolerates_the_key_file_and_debug() -> None:
    found = configuration(
        MENHIR_PRODUCTION=False,
        MENHIR_SECRET_KEY_FROM_ENV=False,
        SECRET_KEY="x" * 10,
        MENHIR_SECRETS_KEY="x" * 10,
        DEBUG=True,
    )
    assert found == {}


@pytest.mark.django_db
def test_database_reachable() -> None:
    assert ids(checks.check_database()) == {"menhir.I010": INFO}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_away")
def test_database_unreachable_is_an_error() -> None:
    found = checks.check_database()
    assert ids(found) == {"menhir.E010": ERROR}
    assert "cannot be reached" in found[0].msg
    assert checks.check_timescaledb() == []  # said once, by the database check


def brokers(broker: str, redis: str) -> dict[str, int]:
    with override_settings(CELERY_BROKER_URL=broker, REDIS_URL=redis):
        return ids(checks.check_broker())


def test_brokers_that_answer_are_information() -> None:
    found = brokers("amqp://guest:guest@127.0.0.1:5672//", "redis://127.0.0.1:6379/0")
    assert found == {"menhir.I022": INFO}
    redis_broker = brokers("redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/0")
    assert redis_broker == {"menhir.I022": INFO}


def test_a_broker_that_is_down_is_a_warning() -> None:
    with override_settings(
        CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{NOTHING_LISTENS}//",
        REDIS_URL=f"redis://127.0.0.1:{NOTHING_LISTENS}/0",
    ):
        found = checks.check_broker()
    assert [m.id for m in found] == ["menhir.W021", "menhir.W021"]
    assert all(m.level == WARNING for m in found)


def test_the_wrong_server_behind_a_url_is_a_warning_naming_it() -> None:
    with override_settings(
        CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:6379//",  # Redis, not RabbitMQ
        REDIS_URL="redis://127.0.0.1:5672/0",  # RabbitMQ, not Redis
    ):
        found = checks.check_broker()
    assert [m.id for m in found] == ["menhir.W021", "menhir.W021"]
    assert "not an AMQP" in found[0].msg
    assert "not a Redis" in found[1].msg


def test_a_broker_url_menhir_cannot_use_is_an_error() -> None:
    found = brokers("kafka://127.0.0.1:9092", "http://127.0.0.1:6379")
    assert found == {"menhir.E020": ERROR}
    with override_settings(CELERY_BROKER_URL="amqp://guest:guest@/", REDIS_URL="redis://x:y/0"):
        messages = checks.check_broker()
    assert [m.id for m in messages] == ["menhir.E020", "menhir.E020"]


def test_broker_messages_never_show_a_password() -> None:
    with override_settings(
        CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
        REDIS_URL="redis://:hunter2-redis@127.0.0.1:6379/0",
    ):
        found = checks.check_broker()
    assert found
    assert not [m for m in found if "hunter2" in m.msg or ":guest@" in m.msg]


@pytest.mark.django_db
def test_timescaledb_absent_is_a_warning() -> None:
    # The test database is plain PostgreSQL (embedded or the machine's): no TimescaleDB.
    assert ids(checks.check_timescaledb()) in (
        {"menhir.W031": WARNING},
        {"menhir.W030": WARNING},
    )


def test_timescaledb_features_are_detected(timescale_server: TimescaleServer) -> None:
    timescale = timescale_server
    with psycopg.connect(timescale.conninfo, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS ops_checks")
        admin.execute("CREATE DATABASE ops_checks")
    conninfo = timescale.conninfo.rsplit("/", 1)[0] + "/ops_checks"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        with conn.cursor() as cursor:
            offered = checks._timescale_findings(cursor)
        assert ids(offered) == {"menhir.W030": WARNING} or ids(offered) == {}
        conn.execute("CREATE EXTENSION timescaledb")
        conn.execute("CREATE TABLE metrics_interface_sample (time timestamptz NOT NULL)")
        with conn.cursor() as cursor:
            before = checks._timescale_findings(cursor)
        assert ids(before) == {"menhir.I032": INFO, "menhir.W033": WARNING}
        assert "apache license" in before[0].msg
        assert "hypertables" in before[0].msg
        assert "compression" not in before[0].msg
        conn.execute("DROP TABLE metrics_interface_sample")
        create_schema(conn)
        with conn.cursor() as cursor:
            after = checks._timescale_findings(cursor)
        assert ids(after) == {"menhir.I032": INFO}


def test_lab_not_configured_says_nothing_and_a_silent_lab_is_a_warning() -> None:
    with override_settings(MENHIR_LAB_URL=""):
        assert checks.check_lab() == []
    with override_settings(MENHIR_LAB_URL=f"http://127.0.0.1:{NOTHING_LISTENS}"):
        found = checks.check_lab()
    assert ids(found) == {"menhir.W040": WARNING}


def test_spool_backlog_and_rejects_are_warnings(tmp_path: Path) -> None:
    with override_settings(METRICS_SPOOL_DIR=tmp_path):
        assert checks.check_spool() == []
        spool = Spool(tmp_path)
        spool.append(Batch())
        assert ids(checks.check_spool()) == {"menhir.W050": WARNING}
        spool.reject(spool.pending()[0], "test")
        assert ids(checks.check_spool()) == {"menhir.W051": WARNING}


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MENHIR_")}
    base.update(
        DATABASE_URL=subprocess_database_url(),
        MENHIR_DATA_DIR=os.environ.get("MENHIR_DATA_DIR", str(Path.cwd() / ".data")),
        CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
        REDIS_URL="redis://127.0.0.1:6379/0",
        MENHIR_PRODUCTION="true",
        MENHIR_SECRET_KEY=GOOD_KEY,
        MENHIR_SECRETS_KEY="s" * 50,
        MENHIR_METRICS_TOKEN=GOOD_TOKEN,
        MENHIR_TLS="true",
        MENHIR_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    base.update(env)
    return subprocess.run(
        [MENHIR, "check", "--json"], env=base, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db
def test_menhir_check_exits_0_on_warnings_and_1_on_errors() -> None:
    fine = run_check(MENHIR_LAB_URL=f"http://127.0.0.1:{NOTHING_LISTENS}")
    assert fine.returncode == 0, fine.stderr
    messages = [json.loads(line) for line in fine.stdout.splitlines()]
    levels = {m["id"]: m["level"] for m in messages}
    assert levels["menhir.W040"] == "WARNING"
    assert levels["menhir.I010"] == "INFO"
    assert not [m for m in messages if m["level"] == "ERROR"]
    broken = run_check(MENHIR_SECRET_KEY="change-me-secret-key", MENHIR_DEBUG="true")
    assert broken.returncode == 1
    errors = {m["id"] for m in map(json.loads, broken.stdout.splitlines()) if m["level"] == "ERROR"}
    assert errors == {"menhir.E001", "menhir.E004"}
    assert "change-me-secret-key" not in broken.stdout + broken.stderr
    # issue 13, finding 10: production without TLS is an error, with the variables named
    plain = run_check(MENHIR_TLS="false")
    assert plain.returncode == 1
    tls = [json.loads(line) for line in plain.stdout.splitlines()]
    assert [m["id"] for m in tls if m["level"] == "ERROR"] == ["menhir.E010"]
