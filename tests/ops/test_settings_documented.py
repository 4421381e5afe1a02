"""Every environment variable the settings read is documented twice: in the README's table and
in .env.example (the compose deployment's list)."""

from __future__ import annotations

from tests.ops.deployfiles import (
    code_environ_variables,
    compose_variables,
    env_example,
    readme_variables,
    settings_variables,
)

# Read by Docker Compose itself, or only inside docker-compose.yml (database service, Grafana).
COMPOSE_ONLY = {
    "COMPOSE_PROJECT_NAME", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "RABBITMQ_USER",
    "RABBITMQ_PASSWORD", "RABBITMQ_VHOST", "GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD",
    "GRAFANA_PORT", "MENHIR_IMAGE", "MENHIR_WEB_PORT", "MENHIR_WEB_WORKERS",
}  # fmt: skip


def test_the_reader_finds_the_settings_variables() -> None:
    names = settings_variables()
    assert {"DATABASE_URL", "MENHIR_SECRET_KEY", "MENHIR_LOG_FORMAT", "CELERY_BROKER_URL"} <= names
    assert len(names) > 30


def test_every_settings_variable_is_in_env_example() -> None:
    missing = (settings_variables() | code_environ_variables()) - set(env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_settings_variable_is_in_the_readme() -> None:
    missing = (settings_variables() | code_environ_variables()) - readme_variables()
    assert not missing, f"add to the README's configuration table: {sorted(missing)}"


def test_env_example_names_nothing_unknown() -> None:
    known = settings_variables() | code_environ_variables() | compose_variables() | COMPOSE_ONLY
    unknown = set(env_example()) - known
    assert not unknown, f".env.example documents variables nobody reads: {sorted(unknown)}"
    assert set(env_example()) >= COMPOSE_ONLY
