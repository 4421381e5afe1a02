"""A stand-in for Grafana's HTTP API on a real socket (Grafana cannot run here): it keeps folders,
dashboards, alert rules and contact points in memory and checks each request as Grafana's API
documentation specifies it — method and path, `Authorization: Bearer`, JSON bodies with their
required fields, `overwrite` for saving an existing dashboard, the provisioning API's
`X-Disable-Provenance` — answering with the documented status codes. Anything else is a 404 and is
recorded, so a test can assert nothing unexpected was asked.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

RULE_REQUIRED = (
    "title",
    "ruleGroup",
    "folderUID",
    "condition",
    "data",
    "noDataState",
    "execErrState",
    "for",
    "orgID",
)
CONTACT_REQUIRED = ("name", "type", "settings")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class GrafanaState:
    token: str
    folders: dict[str, dict[str, Any]] = field(default_factory=dict)
    dashboards: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_points: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    unexpected: list[Request] = field(default_factory=list)
    fail_with: int | None = None  # answer every request with this status (outage tests)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _require(body: Any, keys: tuple[str, ...], what: str) -> None:
    if not isinstance(body, dict):
        raise ApiError(400, f"{what}: the body must be a JSON object")
    missing = [k for k in keys if k not in body or body[k] in (None, "")]
    if missing:
        raise ApiError(400, f"{what}: missing {', '.join(missing)}")


class Handler(BaseHTTPRequestHandler):
    state: GrafanaState  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            self._send(400, {"message": "bad request data"})
            return
        request = Request(self.command, url.path, parse_qs(url.query), headers, body)
        self.state.requests.append(request)
        if self.state.fail_with:
            self._send(self.state.fail_with, {"message": "injected failure"})
            return
        if headers.get("authorization") != f"Bearer {self.state.token}":
            self._send(401, {"message": "Unauthorized"})
            return
        json_body = headers.get("content-type", "").startswith("application/json")
        if self.command in ("POST", "PUT") and not json_body:
            self._send(415, {"message": "Content-Type must be application/json"})
            return
        try:
            status, answer = self._route(request)
        except ApiError as exc:
            status, answer = exc.status, {"message": str(exc)}
        self._send(status, answer)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def _send(self, status: int, answer: Any) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self, r: Request) -> tuple[int, Any]:
        s = self.state
        if (r.method, r.path) == ("GET", "/api/folders"):
            return 200, [
                {"id": f["id"], "uid": uid, "title": f["title"]} for uid, f in s.folders.items()
            ]
        if (r.method, r.path) == ("POST", "/api/folders"):
            _require(r.body, ("title",), "folder")
            uid = r.body.get("uid") or f"auto{len(s.folders)}"
            if uid in s.folders:
                raise ApiError(409, "a folder with the same uid already exists")
            s.folders[uid] = {"id": len(s.folders) + 1, "title": r.body["title"]}
            return 200, {
                "id": s.folders[uid]["id"],
                "uid": uid,
                "title": r.body["title"],
                "url": f"/dashboards/f/{uid}/",
                "version": 1,
            }
        if (r.method, r.path) == ("POST", "/api/dashboards/db"):
            return self._save_dashboard(r.body)
        rule = re.fullmatch(r"/api/v1/provisioning/alert-rules(?:/([\w-]+))?", r.path)
        if rule:
            return self._rules(r, rule.group(1))
        contact = re.fullmatch(r"/api/v1/provisioning/contact-points(?:/([\w-]+))?", r.path)
        if contact:
            return self._contact_points(r, contact.group(1))
        s.unexpected.append(r)
        raise ApiError(404, "Not found")

    def _save_dashboard(self, body: Any) -> tuple[int, Any]:
        _require(body, ("dashboard",), "dashboard save")
        dashboard = body["dashboard"]
        _require(dashboard, ("uid", "title"), "dashboard")
        folder = body.get("folderUid")
        if folder and folder not in self.state.folders:
            raise ApiError(400, "folder not found")
        if dashboard.get("id") not in (None, 0):
            raise ApiError(404, "Dashboard not found")  # an id from another Grafana
        uid = dashboard["uid"]
        previous = self.state.dashboards.get(uid)
        if previous and body.get("overwrite") is not True:
            raise ApiError(412, "The dashboard has been changed by someone else")
        version = previous["version"] + 1 if previous else 1
        ident = previous["id"] if previous else len(self.state.dashboards) + 1
        self.state.dashboards[uid] = {
            "id": ident,
            "version": version,
            "folderUid": folder,
            "dashboard": dashboard,
        }
        slug = re.sub(r"[^a-z0-9]+", "-", dashboard["title"].lower()).strip("-")
        return 200, {
            "id": ident,
            "uid": uid,
            "url": f"/d/{uid}/{slug}",
            "status": "success",
            "version": version,
            "slug": slug,
        }

    def _provenance(self, r: Request) -> str:
        return "" if r.headers.get("x-disable-provenance") == "true" else "api"

    def _check_rule(self, body: Any) -> None:
        _require(body, RULE_REQUIRED, "alert rule")
        if body["folderUID"] not in self.state.folders:
            raise ApiError(400, "folder does not exist")
        refs = {q.get("refId") for q in body["data"]}
        for query in body["data"]:
            _require(query, ("refId", "datasourceUid", "model"), "alert query")
        if body["condition"] not in refs:
            raise ApiError(400, "condition refers to no query")
        receiver = (body.get("notification_settings") or {}).get("receiver")
        names = {c["name"] for c in self.state.contact_points.values()}
        if receiver is not None and receiver not in names:
            raise ApiError(400, f"receiver {receiver} does not exist")

    def _rules(self, r: Request, uid: str | None) -> tuple[int, Any]:
        rules = self.state.rules
        if r.method == "GET" and uid:
            if uid not in rules:
                raise ApiError(404, "not found")
            return 200, rules[uid]
        if r.method == "POST" and uid is None:
            self._check_rule(r.body)
            new_uid = r.body.get("uid") or f"rule{len(rules)}"
            if new_uid in rules:
                raise ApiError(409, "a rule with this uid already exists")
            rules[new_uid] = {**r.body, "uid": new_uid, "provenance": self._provenance(r)}
            return 201, rules[new_uid]
        if r.method == "PUT" and uid:
            if uid not in rules:
                raise ApiError(404, "not found")
            self._check_rule(r.body)
            rules[uid] = {**r.body, "uid": uid, "provenance": self._provenance(r)}
            return 200, rules[uid]
        self.state.unexpected.append(r)
        raise ApiError(405, "method not allowed")

    def _contact_points(self, r: Request, uid: str | None) -> tuple[int, Any]:
        points = self.state.contact_points
        if r.method == "GET" and uid is None:
            names = r.query.get("name")
            name = names[0] if names else None
            return 200, [p for p in points.values() if name is None or p["name"] == name]
        if r.method == "POST" and uid is None:
            _require(r.body, CONTACT_REQUIRED, "contact point")
            new_uid = r.body.get("uid") or f"cp{len(points)}"
            if new_uid in points:
                raise ApiError(409, "a contact point with this uid already exists")
            points[new_uid] = {**r.body, "uid": new_uid, "provenance": self._provenance(r)}
            return 202, points[new_uid]
        if r.method == "PUT" and uid:
            if uid not in points:
                raise ApiError(404, "not found")
            _require(r.body, CONTACT_REQUIRED, "contact point")
            points[uid] = {**r.body, "uid": uid, "provenance": self._provenance(r)}
            return 202, points[uid]
        self.state.unexpected.append(r)
        raise ApiError(405, "method not allowed")


class GrafanaDouble:
    """`with GrafanaDouble(token) as g: g.url …` — serves on 127.0.0.1 in a thread."""

    def __init__(self, token: str, ports: range = range(27410, 27450)) -> None:
        self.state = GrafanaState(token)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.server = None
        for port in ports:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
                break
            except OSError:
                continue
        if self.server is None:
            raise RuntimeError(f"no free port in {ports}")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> GrafanaDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
