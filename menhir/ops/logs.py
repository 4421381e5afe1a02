"""Structured logs (`MENHIR_LOG_FORMAT=json`) and the filter that keeps secrets out of every log.

The filter masks, in the final message and in the exception text: the values of secret settings
(secret keys, passwords, tokens: any environment variable whose name says so), passwords inside
URLs (`scheme://user:password@host`) and `password=…`-style pairs. It runs on the handler, so it
sees what every logger of every package writes.
"""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime
from typing import Any

MASK = "***"
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|COMMUNITY|CREDENTIAL)", re.I)
URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<pw>[^@\s]+)(?=@)", re.I)
PAIR = re.compile(
    r"(?P<head>\b(?:password|passwd|pwd|secret|token|community|auth_key|priv_key)"
    r"[\"']?\s*[=:]\s*[\"']?)(?P<pw>[^\s\"',&;]+)",
    re.I,
)
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words


def secret_values(environ: dict[str, str] | None = None) -> list[str]:
    """The secret values known to this process: environment variables named like secrets."""
    env = os.environ if environ is None else environ
    values = {v for k, v in env.items() if SECRET_NAME.search(k) and len(v) >= MIN_SECRET_LENGTH}
    try:
        from django.conf import settings

        if settings.configured:
            for name in ("SECRET_KEY", "MENHIR_SECRETS_KEY", "MENHIR_METRICS_TOKEN"):
                value = str(getattr(settings, name, "") or "")
                if len(value) >= MIN_SECRET_LENGTH:
                    values.add(value)
    except Exception:  # settings not importable yet: the environment is enough
        pass
    return sorted(values, key=len, reverse=True)  # longest first: no partial masks


def redact(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, MASK)
    text = URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    return PAIR.sub(lambda m: m.group("head") + MASK, text)


ACK_PATH = re.compile(r"(/ack/)[^/\s?\"]+")


def mask_ack_tokens(text: str) -> str:
    """An acknowledgement link's token is a credential until used: never in a log line."""
    return ACK_PATH.sub(lambda m: m.group(1) + MASK, text)


class OneLineClientErrors(logging.Filter):
    """A refused request (4xx: a 403, a 404) is one log line, not a traceback: the exception is
    the expected answer, not a fault to debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info, record.exc_text = None, None
        return True


class RedactSecrets(logging.Filter):
    """Rewrites each record's message (and exception text) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = secret_values()
        message = record.getMessage()
        clean = mask_ack_tokens(redact(message, secrets))
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, process, and
    `exception` when there is one; `extra={...}` fields are kept as they are."""

    RESERVED = set(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        secrets: list[str] | None = None
        for key, value in vars(record).items():
            if key not in self.RESERVED and key not in data and not key.startswith("_"):
                if isinstance(value, str):
                    secrets = secret_values() if secrets is None else secrets
                    value = redact(value, secrets)
                data[key] = value
        return json.dumps(data, ensure_ascii=False, default=str)


def gunicorn_logger_class() -> type:
    """gunicorn's logger with acknowledgement tokens masked in the access log."""
    from gunicorn.glogging import Logger

    class MaskedAccessLogger(Logger):
        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> Any:
            atoms = super().atoms(resp, req, environ, request_time)
            for key in ("r", "U", "{raw_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = mask_ack_tokens(atoms[key])
            return atoms

    return MaskedAccessLogger
