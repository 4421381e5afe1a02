"""Structured logs and the secrets filter: through Django's LOGGING in a real `menhir`
process, and the pieces on their own."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from menhir.ops.logs import MASK, JsonFormatter, RedactSecrets, redact, secret_values

MENHIR = str(Path(sys.executable).parent / "menhir")
SMTP_PASSWORD = "smtp-Pa55word-zz9"
SECRET_KEY = "django-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
TOKEN = "scrape-token-9876543210"
DB_PASSWORD = "db-pw-q1w2e3"

# Logged by a real menhir process: the secrets in every place a log line can carry them.
SCRIPT = f"""
import logging
log = logging.getLogger("menhir.test")
log.warning("smtp login with %s", {SMTP_PASSWORD!r})
log.warning("connecting to postgresql://menhir:{DB_PASSWORD}@db:5432/menhir")
log.warning("key is {SECRET_KEY} and token={TOKEN}", extra={{"context": "token {TOKEN}"}})
try:
    raise RuntimeError("auth failed: password={SMTP_PASSWORD}")
except RuntimeError:
    log.exception("paging failed")
log.info("an ordinary line", extra={{"site": "LYC-29019-03"}})
"""


def run_menhir_logging(log_format: str) -> str:
    env = dict(
        os.environ,
        MENHIR_LOG_FORMAT=log_format,
        MENHIR_SMTP_PASSWORD=SMTP_PASSWORD,
        MENHIR_SECRET_KEY=SECRET_KEY,
        MENHIR_METRICS_TOKEN=TOKEN,
    )
    result = subprocess.run(
        [MENHIR, "shell", "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def assert_no_secret(text: str) -> None:
    for secret in (SMTP_PASSWORD, SECRET_KEY, TOKEN, DB_PASSWORD):
        assert secret not in text


def test_json_logs_one_object_per_line_without_secrets() -> None:
    output = run_menhir_logging("json")
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    mine = [r for r in records if r["logger"] == "menhir.test"]
    assert len(mine) == 5
    assert {"time", "level", "logger", "message", "process"} <= set(mine[0])
    assert mine[0]["level"] == "WARNING"
    assert mine[0]["message"] == f"smtp login with {MASK}"
    assert mine[1]["message"] == f"connecting to postgresql://menhir:{MASK}@db:5432/menhir"
    assert mine[2]["context"] == f"token {MASK}"
    assert "RuntimeError" in mine[3]["exception"]
    assert mine[4]["site"] == "LYC-29019-03"
    assert mine[4]["message"] == "an ordinary line"
    assert_no_secret(output)


def test_plain_logs_mask_secrets_too() -> None:
    output = run_menhir_logging("plain")
    assert "WARNING menhir.test smtp login with ***" in output
    assert "Traceback" in output
    assert_no_secret(output)


def test_an_unknown_log_format_is_refused_clearly() -> None:
    env = dict(os.environ, MENHIR_LOG_FORMAT="xml")
    result = subprocess.run([MENHIR, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "MENHIR_LOG_FORMAT='xml': expected plain or json" in result.stderr


def test_redact_masks_urls_pairs_and_known_values() -> None:
    secrets = secret_values({"MENHIR_SMTP_PASSWORD": "abcd1234", "MENHIR_SMTP_HOST": "relay1"})
    assert "abcd1234" in secrets
    assert "relay1" not in secrets
    assert redact("pw abcd1234 on relay1", secrets) == "pw *** on relay1"
    assert redact("amqp://guest:guest@rabbit:5672//", []) == "amqp://guest:***@rabbit:5672//"
    assert redact('{"community": "public"}', []) == '{"community": "***"}'
    assert redact("auth_key=xyz&priv_key=abc", []) == "auth_key=***&priv_key=***"
    assert redact("nothing secret here: up 5 days", []) == "nothing secret here: up 5 days"


def test_the_filter_rewrites_the_record_and_the_formatter_keeps_extras() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "login %s", ("password=zz",), None)
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "login password=***"
    record.site = "LYC-1"
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "login password=***"
    assert data["site"] == "LYC-1"
