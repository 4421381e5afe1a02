"""The reference pollers a network engineer would otherwise pick, polling the same columns.

Net-SNMP's C library through ezsnmp (a thread pool), and Prometheus' snmp_exporter (Go, scraped
with a bounded number of parallel HTTP requests). Both take `Agent`s with their own credentials
(v2c community or v3 USM user), so they poll exactly what Menhir's poller polls. CPU is each
poller's own process CPU: the agents' (snmpd, the lab) is never counted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from poller.collectors.interfaces import HC_COLUMNS
from poller.snmp.oids import SYS_UPTIME
from poller.types import AuthProtocol, Credentials, PrivProtocol, SnmpVersion

OPER_STATUS_COLUMN = 6  # position of ifOperStatus in HC_COLUMNS: one row per interface
_EZ_AUTH = {
    AuthProtocol.MD5: "MD5",
    AuthProtocol.SHA: "SHA",
    AuthProtocol.SHA256: "SHA-256",
    AuthProtocol.SHA512: "SHA-512",
}
_EZ_PRIV = {PrivProtocol.DES: "DES", PrivProtocol.AES128: "AES", PrivProtocol.AES256: "AES-256"}
_EXPORTER_AUTH = {
    AuthProtocol.MD5: "MD5",
    AuthProtocol.SHA: "SHA",
    AuthProtocol.SHA256: "SHA256",
    AuthProtocol.SHA512: "SHA512",
}
_EXPORTER_PRIV = {
    PrivProtocol.DES: "DES",
    PrivProtocol.AES128: "AES",
    PrivProtocol.AES256: "AES256",
}


@dataclass(frozen=True)
class Agent:
    """One device as every poller sees it: where, how to authenticate, how many rows."""

    address: str
    port: int
    credentials: Credentials
    rows: int


@dataclass(frozen=True)
class Measured:
    cpu_s: float
    wall_s: float
    interfaces: int  # interface rows read, summed over the measured cycles
    cycles: int

    def per_1000(self) -> float:
        return self.cpu_s / max(self.interfaces, 1) * 1000


def dotted(oid: Sequence[int]) -> str:
    return ".".join(map(str, oid))


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of another process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def measure_in_process(cycle: Callable[[], int], cycles: int) -> Measured:
    """This process's CPU and wall time over `cycles` cycles, after one warm-up cycle."""
    cycle()
    cpu, wall = time.process_time(), time.perf_counter()
    interfaces = sum(cycle() for _ in range(cycles))
    return Measured(time.process_time() - cpu, time.perf_counter() - wall, interfaces, cycles)


def _numeric(name: str) -> str:
    """ezsnmp names a column `iso.3.6.1…` (or `.1.3.6.1…`): back to `1.3.6.1…`."""
    name = name.lstrip(".")
    return "1" + name[3:] if name.startswith("iso.") else name


def _ez_session(agent: Agent, timeout_s: float, retries: int) -> Any:
    from ezsnmp import Session

    c = agent.credentials
    common: dict[str, Any] = {
        "hostname": agent.address, "port_number": agent.port, "timeout": timeout_s,
        "retries": retries, "set_max_repeaters_to_num": min(agent.rows, 25),
    }  # fmt: skip
    if c.version == SnmpVersion.V2C:
        return Session(version=2, community=c.community, **common)
    level = "noAuthNoPriv"
    if c.auth_protocol != AuthProtocol.NONE:
        level = "authPriv" if c.priv_protocol != PrivProtocol.NONE else "authNoPriv"
    return Session(
        version=3,
        security_level=level,
        security_username=c.username,
        auth_protocol=_EZ_AUTH.get(c.auth_protocol, ""),
        auth_passphrase=c.auth_key,
        privacy_protocol=_EZ_PRIV.get(c.priv_protocol, ""),
        privacy_passphrase=c.priv_key,
        **common,
    )


def ezsnmp(
    agents: Sequence[Agent], cycles: int, concurrency: int = 16, timeout_s: float = 2.0
) -> Measured:
    """One GETBULK of every column for small tables; a bulk walk of each column for large ones
    (ezsnmp's bulk_walk of a list walks only its first OID)."""
    columns = [dotted(c) for c in HC_COLUMNS]
    oper = columns[OPER_STATUS_COLUMN]
    sessions = [(_ez_session(a, timeout_s, 1), a.rows) for a in agents]

    def one(item: tuple[Any, int]) -> int:
        session, rows = item
        if rows * len(columns) < 100:
            results = session.bulk_get([dotted(SYS_UPTIME), *columns])
        else:
            session.get(dotted(SYS_UPTIME) + ".0")
            results = []
            for column in columns:
                results += session.bulk_walk(column)
        polled = sum(1 for r in results if _numeric(r.oid) == oper)
        if not polled:
            raise RuntimeError(f"ezsnmp read no ifOperStatus from {session.hostname}")
        return min(polled, rows)

    with ThreadPoolExecutor(concurrency) as pool:
        return measure_in_process(lambda: sum(pool.map(one, sessions)), cycles)


def _module_name(credentials: Credentials) -> str:
    return f"menhir_{credentials.version}_{abs(hash(credentials)) % 10**8}"


def _auth_lines(credentials: Credentials) -> list[str]:
    c = credentials
    if c.version == SnmpVersion.V2C:
        return ["  version: 2", "  auth:", f"    community: {c.community}"]
    lines = ["  version: 3", "  auth:", f"    username: {c.username}"]
    if c.auth_protocol == AuthProtocol.NONE:
        return [*lines, "    security_level: noAuthNoPriv"]
    lines += [
        f"    password: {c.auth_key}",
        f"    auth_protocol: {_EXPORTER_AUTH[c.auth_protocol]}",
    ]
    if c.priv_protocol == PrivProtocol.NONE:
        return [*lines, "    security_level: authNoPriv"]
    return [
        *lines,
        "    security_level: authPriv",
        f"    priv_password: {c.priv_key}",
        f"    priv_protocol: {_EXPORTER_PRIV[c.priv_protocol]}",
    ]


def exporter_config(credentials: Sequence[Credentials], rows: int, timeout_s: float = 2.0) -> str:
    """snmp_exporter 0.21 configuration: one module per set of credentials, same columns."""
    lines: list[str] = []
    for c in dict.fromkeys(credentials):
        lines += [f"{_module_name(c)}:", *_auth_lines(c)]
        lines += [
            f"  max_repetitions: {min(rows, 50)}",
            "  retries: 1",
            f"  timeout: {timeout_s:g}s",
        ]
        lines += ["  get:", f"  - {dotted(SYS_UPTIME)}.0", "  walk:"]
        lines += [f"  - {dotted(column)}" for column in HC_COLUMNS]
        lines += [
            "  metrics:",
            "  - name: sysUpTime",
            f"    oid: {dotted(SYS_UPTIME)}",
            "    type: gauge",
        ]
        for n, column in enumerate(HC_COLUMNS):
            lines += [
                f"  - name: column{n}",
                f"    oid: {dotted(column)}",
                "    type: counter" if n < 6 else "    type: gauge",
                "    indexes:",
                "    - labelname: ifIndex",
                "      type: gauge",
            ]
    return "\n".join(lines) + "\n"


def snmp_exporter(
    agents: Sequence[Agent],
    cycles: int,
    workdir: Path,
    *,
    concurrency: int = 16,
    timeout_s: float = 2.0,
    listen_port: int = 0,
) -> Measured:
    """Scrape every agent through one snmp_exporter process, `concurrency` scrapes at a time."""
    config = workdir / "snmp_exporter.yml"
    rows = max(a.rows for a in agents)
    config.write_text(exporter_config([a.credentials for a in agents], rows, timeout_s))
    listen = f"127.0.0.1:{listen_port or free_port()}"
    process = subprocess.Popen(
        ["prometheus-snmp-exporter", f"--config.file={config}", f"--web.listen-address={listen}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    marker = f"column{OPER_STATUS_COLUMN}{{"
    try:
        wait_http(f"http://{listen}/")
        scrapes = [
            (
                f"http://{listen}/snmp?module={_module_name(a.credentials)}"
                f"&target={a.address}:{a.port}",
                a.rows,
            )
            for a in agents
        ]

        def one(scrape: tuple[str, int]) -> int:
            url, rows = scrape
            with urllib.request.urlopen(url, timeout=30 + 4 * timeout_s) as reply:
                body = reply.read().decode()
            if marker not in body:
                raise RuntimeError(f"snmp_exporter returned no interfaces for {url}")
            return min(body.count(marker), rows)

        with ThreadPoolExecutor(concurrency) as pool:

            def cycle() -> int:
                return sum(pool.map(one, scrapes))

            cycle()  # warm-up (v3: engine discovery, key localisation)
            cpu, wall = process_cpu(process.pid), time.perf_counter()
            interfaces = sum(cycle() for _ in range(cycles))
            return Measured(
                process_cpu(process.pid) - cpu, time.perf_counter() - wall, interfaces, cycles
            )
    finally:
        process.terminate()
        process.wait(10)
