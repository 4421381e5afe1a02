"""`menhir check`: Menhir's own system checks, on Django's check framework.

Registered as deployment checks under the tag `menhir`, so `migrate` and friends do not probe the
network; `menhir check` runs them with Django's own checks. A misconfiguration is an Error (exit
status 1); an optional component that is missing or down is a Warning (exit 0); what was detected
is an Info.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Warning, register

from menhir.ops import probes

TAG = "menhir"
MIN_KEY_LENGTH = 32
MIN_TOKEN_LENGTH = 16
# Values shipped in .env.example: a deployment that kept one has not been configured.
PLACEHOLDER_MARK = "change-me"


def production() -> bool:
    return bool(settings.MENHIR_PRODUCTION)


def _placeholder(value: str) -> bool:
    return PLACEHOLDER_MARK in value.lower()


@register(TAG, deploy=True)
def check_configuration(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    key = settings.SECRET_KEY
    prod = production()
    if _placeholder(key):
        found.append(
            Error(
                "MENHIR_SECRET_KEY is still the .env.example placeholder.",
                hint="Generate one: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="menhir.E001",
            )
        )
    elif prod and not settings.MENHIR_SECRET_KEY_FROM_ENV:
        found.append(
            Error(
                "MENHIR_SECRET_KEY is not set: production is using the development key file "
                "in the data folder.",
                hint="Set MENHIR_SECRET_KEY in the environment (.env).",
                id="menhir.E002",
            )
        )
    elif prod and len(key) < MIN_KEY_LENGTH:
        found.append(
            Error(
                f"MENHIR_SECRET_KEY is shorter than {MIN_KEY_LENGTH} characters.",
                id="menhir.E003",
            )
        )
    if prod and settings.DEBUG:
        found.append(
            Error(
                "MENHIR_DEBUG is on in production (tracebacks and settings shown to visitors).",
                hint="Unset MENHIR_DEBUG, or set MENHIR_PRODUCTION=false on a development machine.",
                id="menhir.E004",
            )
        )
    if _placeholder(settings.MENHIR_SECRETS_KEY):
        found.append(
            Error("MENHIR_SECRETS_KEY is still the .env.example placeholder.", id="menhir.E005")
        )
    elif prod and key == settings.MENHIR_SECRETS_KEY:
        found.append(
            Warning(
                "MENHIR_SECRETS_KEY is not set: SNMP secrets are encrypted with the secret key, "
                "so rotating one rotates the other.",
                hint="Set MENHIR_SECRETS_KEY to its own value before storing SNMP secrets.",
                id="menhir.W006",
            )
        )
    token = settings.MENHIR_METRICS_TOKEN
    if not token:
        found.append(
            Warning(
                "MENHIR_METRICS_TOKEN is not set: /metrics answers 403 to every scrape.",
                id="menhir.W007",
            )
        )
    elif _placeholder(token) or len(token) < MIN_TOKEN_LENGTH:
        found.append(
            Error(
                "MENHIR_METRICS_TOKEN is a placeholder or shorter than "
                f"{MIN_TOKEN_LENGTH} characters.",
                id="menhir.E008",
            )
        )
    if prod and not settings.MENHIR_TLS:
        found.append(
            Error(
                "Production without TLS: MENHIR_TLS is not set, so session and CSRF cookies "
                "travel in clear and browsers get no HSTS.",
                hint="Serve the UI over HTTPS (a TLS-terminating proxy), then set MENHIR_TLS=true "
                "and MENHIR_PROXY_SSL_HEADER=X-Forwarded-Proto.",
                id="menhir.E010",
            )
        )
    elif prod and not settings.MENHIR_PROXY_SSL_HEADER:
        found.append(
            Warning(
                "MENHIR_TLS is on but MENHIR_PROXY_SSL_HEADER is not set: behind a proxy, "
                "Django cannot tell HTTPS requests and does not redirect plain HTTP.",
                id="menhir.W011",
            )
        )
    from poller.schedule import PollSchedule, ScheduleError

    try:
        PollSchedule.from_settings()
    except ScheduleError as exc:
        found.append(
            Error(str(exc), hint="e.g. MENHIR_POLL_INTERVALS=cpe=300,switch=120", id="menhir.E009")
        )
    return found


@register(TAG, deploy=True)
def check_snmp_scopes(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production polling real networks: every SNMP profile says where its secrets may go."""
    from django.db import DatabaseError

    from inventory.models import SNMPProfile

    if not (production() and settings.MENHIR_ALLOW_NON_LOOPBACK):
        return []
    try:
        open_profiles = sorted(
            SNMPProfile.objects.filter(allowed_networks=[]).values_list("name", flat=True)
        )
    except DatabaseError:
        return []  # check_database reports it
    if not open_profiles:
        return []
    return [
        Error(
            f"SNMP profiles without an address scope: {', '.join(open_profiles)}: an editor "
            "could point a device at an address of their own and receive the secrets.",
            hint="Set each profile's allowed networks in the admin (e.g. 10.20.0.0/16).",
            id="menhir.E012",
        )
    ]


@register(TAG, deploy=True)
def check_database(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.ensure_connection()
        plan = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    except DatabaseError as exc:
        where = f"{connection.settings_dict['HOST'] or 'socket'}/{connection.settings_dict['NAME']}"
        return [
            Error(
                f"The database ({where}) cannot be reached: {str(exc).strip().splitlines()[0]}",
                hint="Check DATABASE_URL and that the server runs.",
                id="menhir.E010",
            )
        ]
    found: list[CheckMessage] = [
        Info(f"Database: PostgreSQL {connection.pg_version // 10000}.", id="menhir.I010")  # type: ignore[attr-defined]
    ]
    if plan:
        found.append(
            Warning(
                f"{len(plan)} migration(s) not applied.",
                hint="Run `menhir migrate`.",
                id="menhir.W011",
            )
        )
    return found


@register(TAG, deploy=True)
def check_broker(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    for name, url in (
        ("CELERY_BROKER_URL", settings.CELERY_BROKER_URL),
        ("REDIS_URL", settings.REDIS_URL),
    ):
        try:
            if name == "REDIS_URL":
                if not url.startswith(("redis://", "rediss://", "unix://")):
                    raise probes.BadUrl(f"{url.split('://')[0]}://: expected redis://")
                problem = probes.redis_ping(url)
            else:
                problem = probes.broker_problem(url)
        except probes.BadUrl as exc:
            found.append(Error(f"{name}: {exc}", id="menhir.E020"))
            continue
        if problem:
            found.append(
                Warning(
                    f"{name}: no answer ({problem}); polling runs in-process only "
                    "(`menhir poll`) until it is up.",
                    id="menhir.W021",
                )
            )
        else:
            found.append(Info(f"{name}: {_without_password(url)} answers.", id="menhir.I022"))
    return found


def _without_password(url: str) -> str:
    from menhir.ops.logs import URL_PASSWORD

    return URL_PASSWORD.sub(lambda m: m.group("head") + "***", url)


def _timescale_findings(cursor: Any) -> list[CheckMessage]:
    cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")
    installed = cursor.fetchone()
    if installed is None:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")
        if cursor.fetchone():
            return [
                Warning(
                    "TimescaleDB is offered by the server but not installed: metrics use native "
                    "partitions.",
                    hint="Add timescaledb to shared_preload_libraries and run `menhir migrate`.",
                    id="menhir.W030",
                )
            ]
        return [
            Warning(
                "TimescaleDB is not available: metrics use native PostgreSQL partitions "
                "(fine for a small network; the production image carries TimescaleDB).",
                id="menhir.W031",
            )
        ]
    cursor.execute("SELECT current_setting('timescaledb.license', true)")
    license_row = cursor.fetchone()
    license_name = license_row[0] if license_row and license_row[0] else "unknown"
    features = ["hypertables", "time_bucket", "drop_chunks"]
    if license_name == "timescale":
        features += ["compression", "continuous aggregates"]
    found: list[CheckMessage] = [
        Info(
            f"TimescaleDB {installed[0]} ({license_name} license): {', '.join(features)}.",
            id="menhir.I032",
        )
    ]
    cursor.execute(
        "SELECT count(*) FROM timescaledb_information.hypertables"
        " WHERE hypertable_name LIKE 'metrics_%'"
    )
    row = cursor.fetchone()
    if not row or not row[0]:
        found.append(
            Warning(
                "TimescaleDB is installed but the metrics tables are native partitions "
                "(created before the extension).",
                id="menhir.W033",
            )
        )
    return found


@register(TAG, deploy=True)
def check_timescaledb(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            return _timescale_findings(cursor)
    except DatabaseError:
        return []  # check_database reports it


@register(TAG, deploy=True)
def check_lab(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    url = settings.MENHIR_LAB_URL
    if not url:
        return []
    status, problem = probes.http_json(url.rstrip("/") + "/status")
    if problem:
        return [Warning(f"The lab ({url}) does not answer: {problem}.", id="menhir.W040")]
    agents = status.get("agents") if isinstance(status, dict) else None
    return [Info(f"The lab answers at {url} ({agents} agents).", id="menhir.I041")]


@register(TAG, deploy=True)
def check_spool(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from menhir.ops.spool_depth import spool_depth

    pending, rejected = spool_depth()
    found: list[CheckMessage] = []
    if pending:
        found.append(
            Warning(
                f"{pending} metrics batch(es) wait in the spool (the database was away).",
                hint="They are replayed with the next write, or now with `menhir metrics replay`.",
                id="menhir.W050",
            )
        )
    if rejected:
        found.append(
            Warning(
                f"{rejected} metrics batch(es) were rejected by the database "
                "(see the spool's rejected/ folder).",
                id="menhir.W051",
            )
        )
    return found
