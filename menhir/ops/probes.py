"""Protocol-level probes of the services Menhir talks to, without their client libraries: a
Redis PING, the AMQP protocol greeting, an HTTP GET. Each returns None when the service answered
as expected, else the reason, so callers can word their own message."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

TIMEOUT_S = 2.0
AMQP_HEADER = b"AMQP\x00\x00\x09\x01"
BROKER_SCHEMES = {"amqp": 5672, "pyamqp": 5672, "amqps": 5671, "redis": 6379, "rediss": 6380}


class BadUrl(ValueError):
    """A service URL Menhir cannot use at all (a configuration error, not an outage)."""


def host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        port = parts.port or default_port
    except ValueError:
        raise BadUrl(f"{url!r}: bad port") from None
    if not parts.hostname:
        raise BadUrl(f"{url!r}: no host")
    return parts.hostname, port


def _exchange(host: str, port: int, payload: bytes, timeout: float) -> bytes:
    """Send, read the first reply; b"" when the server (connected) keeps silent."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(payload)
        try:
            return sock.recv(64)
        except TimeoutError:
            return b""


def redis_ping(url: str, timeout: float = TIMEOUT_S) -> str | None:
    host, port = host_port(url, 6379)
    try:
        reply = _exchange(host, port, b"PING\r\n", timeout)
    except OSError as exc:
        return f"{host}:{port}: {exc.strerror or exc}"
    # +PONG, or -NOAUTH when a password is required: either way a Redis server answers.
    if reply.startswith((b"+PONG", b"-NOAUTH", b"-ERR")):
        return None
    return f"{host}:{port}: not a Redis server (answered {reply[:20]!r})"


def amqp_greeting(url: str, timeout: float = TIMEOUT_S) -> str | None:
    host, port = host_port(url, 5672)
    try:
        reply = _exchange(host, port, AMQP_HEADER, timeout)
    except OSError as exc:
        return f"{host}:{port}: {exc.strerror or exc}"
    # A method frame (type 1) on channel 0 carrying Connection.Start (class 10, method 10).
    if len(reply) >= 11 and reply[0] == 1 and reply[7:11] == b"\x00\x0a\x00\x0a":
        return None
    return f"{host}:{port}: not an AMQP 0-9-1 broker (answered {reply[:12]!r})"


def broker_problem(url: str, timeout: float = TIMEOUT_S) -> str | None:
    """Probe a Celery broker URL (amqp:// or redis://); raises BadUrl for an unusable URL."""
    scheme = urlsplit(url).scheme
    if scheme not in BROKER_SCHEMES:
        raise BadUrl(f"{url.split('://')[0]}://: expected one of {', '.join(BROKER_SCHEMES)}")
    if scheme.startswith("redis"):
        return redis_ping(url, timeout)
    if scheme == "amqps":
        host, port = host_port(url, 5671)
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as exc:
            return f"{host}:{port}: {exc.strerror or exc}"
        return None
    return amqp_greeting(url, timeout)


def http_json(url: str, timeout: float = TIMEOUT_S) -> tuple[Any, str | None]:
    """GET a JSON document: (document, None), or (None, reason)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read()), None
    except urllib.error.HTTPError as exc:
        return None, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", None) or exc)
