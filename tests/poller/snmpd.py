"""Run Net-SNMP's snmpd unprivileged-style on loopback addresses and an unusual port.

Used by the wire tests (fixtures in conftest.py) and by bench/bench_poller.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

COMMUNITY = "menhir-ro"
V3_USER = "menhirv3"
V3_AUTH_KEY = "authkey-menhir-1"
V3_PRIV_KEY = "privkey-menhir-1"
SNMPD = "/usr/sbin/snmpd"
SNMPGET = "/usr/bin/snmpget"


@dataclass
class Snmpd:
    """One snmpd process answering on `addresses` (all on `port`)."""

    addresses: list[str]
    port: int
    extra_config: str = ""
    namespace: str | None = None  # run inside this network namespace (ip netns exec)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="menhir-snmpd-")))
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 10.0) -> Snmpd:
        agent = ",".join(f"udp:{a}:{self.port}" for a in self.addresses)
        conf = self.workdir / "snmpd.conf"
        conf.write_text(
            f"agentAddress {agent}\n"
            f"rocommunity {COMMUNITY} 127.0.0.0/8\n"
            f'createUser {V3_USER} SHA "{V3_AUTH_KEY}" AES "{V3_PRIV_KEY}"\n'
            f"rouser {V3_USER} priv\n"
            "sysName menhir-test-agent\n"
            f"{self.extra_config}\n"
        )
        env = {**os.environ, "SNMP_PERSISTENT_DIR": str(self.workdir / "persist"), "MIBS": ""}
        prefix = ["ip", "netns", "exec", self.namespace] if self.namespace else []
        self.process = subprocess.Popen(
            [
                *prefix,
                SNMPD,
                "-f",
                "-C",
                "-c",
                str(conf),
                "-I",
                "-smux",
                "-Lf",
                str(self.workdir / "log"),
                "-p",
                str(self.workdir / "pid"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"snmpd exited: {self.log()}")
            if all(self._answers(a) for a in self.addresses[:1] + self.addresses[-1:]):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"snmpd did not answer within {timeout_s} s: {self.log()}")

    def _answers(self, address: str) -> bool:
        result = subprocess.run(
            [
                SNMPGET,
                "-v2c",
                "-c",
                COMMUNITY,
                "-t",
                "0.3",
                "-r",
                "0",
                "-On",
                f"udp:{address}:{self.port}",
                "1.3.6.1.2.1.1.3.0",
            ],
            capture_output=True,
            check=False,
            env={**os.environ, "MIBS": ""},
        )
        return result.returncode == 0

    def log(self) -> str:
        path = self.workdir / "log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)


def worker_index() -> int:
    """0 for the main process, n for xdist worker gw<n>: keeps parallel workers apart."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)
