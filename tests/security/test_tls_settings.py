"""TLS deployment settings come from the environment (issue 13, finding 10): with MENHIR_TLS
the cookies are HTTPS-only and HSTS is on; the proxy's header tells Django a request was HTTPS.
`menhir check` refusing production without them is in tests/ops/test_checks.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

MENHIR = str(Path(sys.executable).parent / "menhir")
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE,"
    " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
    " getattr(s, 'SECURE_PROXY_SSL_HEADER', None)]))"
)


def settings_with(**env: str) -> list[object]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MENHIR_TLS")}
    base.pop("MENHIR_PROXY_SSL_HEADER", None)
    result = subprocess.run(
        [MENHIR, "shell", "-c", SHOW],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    shown: list[object] = json.loads(result.stdout.strip().splitlines()[-1])
    return shown


def test_tls_on_behind_a_proxy() -> None:
    shown = settings_with(MENHIR_TLS="true", MENHIR_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert shown == [True, True, 31_536_000, True, ["HTTP_X_FORWARDED_PROTO", "https"]]


def test_tls_off_by_default_for_development() -> None:
    assert settings_with() == [False, False, 0, False, None]
