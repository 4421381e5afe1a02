"""The lab's control API: JSON over HTTP on loopback, and the client the CLI uses.

    GET    /faults                       active faults per device
    POST   /faults  {"fault", "target", "delay_s"?}   inject (reboot is a one-off action)
    DELETE /faults  {"target"?}          clear the target's faults, or all of them
    GET    /status                       agents, readiness and live worker processes

Errors are JSON `{"error": …}` with 400 (bad JSON or fields), 422 (unknown fault), 404 (unknown
target or path) or 405 (method).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

from simulation.lab.faults import UnknownFault, UnknownTarget

MAX_BODY = 64 * 1024
Handler = Callable[[str, str, Any], Awaitable[tuple[int, Any]]]
REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}


class BadRequest(ValueError):
    pass


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, bytes]:
    line = (await reader.readline()).decode("latin-1").strip()
    parts = line.split()
    if len(parts) != 3:
        raise BadRequest("malformed request line")
    method, path = parts[0].upper(), parts[1].split("?", 1)[0]
    length = 0
    while True:
        header = (await reader.readline()).decode("latin-1").strip()
        if not header:
            break
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise BadRequest("bad Content-Length") from None
    if length < 0 or length > MAX_BODY:
        raise BadRequest("body too large")
    body = await reader.readexactly(length) if length else b""
    return method, path, body


async def _respond(writer: asyncio.StreamWriter, status: int, payload: Any) -> None:
    body = json.dumps(payload, sort_keys=True).encode()
    head = (
        f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    writer.close()


def parse_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest(f"invalid JSON: {error}") from None
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object")
    return data


async def serve_control(handler: Handler, host: str, port: int) -> asyncio.Server:
    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            method, path, body = await _read_request(reader)
            status, payload = await handler(method, path, parse_body(body))
        except BadRequest as error:
            status, payload = 400, {"error": str(error)}
        except UnknownFault as error:
            status, payload = 422, {"error": str(error)}
        except UnknownTarget as error:
            status, payload = 404, {"error": str(error.args[0])}
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        except Exception as error:  # report it to the caller, keep the lab running
            status, payload = 500, {"error": f"{type(error).__name__}: {error}"}
        await _respond(writer, status, payload)

    return await asyncio.start_server(on_client, host, port)


class ControlError(RuntimeError):
    """The lab answered with an error, or did not answer."""


def call(url: str, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
    """One request to a running lab (the CLI's client)."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(
        url.rstrip("/") + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("error", error.reason)
        except ValueError:
            message = error.reason
        raise ControlError(f"{error.code}: {message}") from None
    except OSError as error:
        raise ControlError(f"no lab answers at {url}: {error}") from None
