"""Run snmpsim's command responder with recordings of real devices from `snmpsim-data`.

As root, snmpsim insists on dropping privileges, and after the drop it must still read its own
Python: so it runs from a virtualenv on Debian's /usr/bin/python3 (docs/poller.md), created here
on first use.
"""

from __future__ import annotations

import bz2
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

VENV = Path(os.environ.get("MENHIR_SNMPSIM_VENV", "/opt/menhir-snmpsim"))
RECORDINGS = {
    # community (file stem) -> path inside snmpsim_data/data
    "cisco-c3560": "network/switch/cisco-c3560",
    "brocade-ds-5100b": "network/switch/brocade-ds-5100b",
    "dcrs-5980-28t-dc": "network/switch/dcrs-5980-28t-dc",
    "ubiquiti-m5": "network/wifi/ubiquiti-m5",
    "huawei-s12704": "network/switch/huawei-s12704",
    "cisco-unknown-01": "network/appliance/cisco-unknown-01",
}


def ensure_venv() -> Path:
    responder = VENV / "bin" / "snmpsim-command-responder"
    if not responder.exists():
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [
                str(VENV / "bin" / "pip"),
                "install",
                "-q",
                "snmpsim==1.2.2",
                "pysnmp==7.1.30",
                "snmpsim-data==1.0.1",
            ],
            check=True,
        )
    return responder


def _data_root() -> Path:
    out = subprocess.run(
        [
            str(VENV / "bin" / "python"),
            "-c",
            "import snmpsim_data, os; print(os.path.dirname(snmpsim_data.__file__))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip()) / "data"


@dataclass
class Snmpsim:
    address: str
    port: int
    process: subprocess.Popen[bytes] | None = None
    workdir: Path = field(init=False)

    def __post_init__(self) -> None:
        # Kept between runs: snmpsim indexes each recording once (~1 min for the large ones).
        self.workdir = Path(tempfile.gettempdir()) / f"menhir-snmpsim-{self.port}"

    def start(self, timeout_s: float = 120.0) -> Snmpsim:
        responder = ensure_venv()
        data = self.workdir / "data"
        cache = self.workdir / "cache"
        data.mkdir(parents=True, exist_ok=True)
        cache.mkdir(exist_ok=True)
        root = _data_root()
        for community, path in RECORDINGS.items():
            raw = bz2.decompress((root / f"{path}.snmprec.bz2").read_bytes())
            recording = data / f"{community}.snmprec"
            if not recording.exists() or recording.read_bytes() != raw:
                recording.write_bytes(raw)
        for item in (self.workdir, data, cache, *data.iterdir()):
            item.chmod(0o777 if item.is_dir() else 0o644)
        self.process = subprocess.Popen(
            [
                str(responder),
                f"--data-dir={data}",
                f"--cache-dir={cache}",
                f"--agent-udpv4-endpoint={self.address}:{self.port}",
                "--process-user=nobody",
                "--process-group=nogroup",
                "--logging-method=file:" + str(self.workdir / "log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.workdir,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"snmpsim exited: {self.log()}")
            if all(self._answers(c) for c in RECORDINGS):
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"snmpsim did not answer within {timeout_s} s: {self.log()}")

    def _answers(self, community: str) -> bool:
        result = subprocess.run(
            [
                "/usr/bin/snmpget",
                "-v2c",
                "-c",
                community,
                "-t",
                "1",
                "-r",
                "0",
                "-On",
                f"udp:{self.address}:{self.port}",
                "1.3.6.1.2.1.1.3.0",
            ],
            capture_output=True,
            check=False,
            env={**os.environ, "MIBS": ""},
        )
        return result.returncode == 0

    def if_indexes(self, community: str) -> list[int]:
        """The ifIndex values of a recording (its ifIndex column)."""
        prefix = "1.3.6.1.2.1.2.2.1.1."
        lines = (self.workdir / "data" / f"{community}.snmprec").read_text(errors="replace")
        return sorted(
            int(line.split("|", 1)[0][len(prefix) :])
            for line in lines.splitlines()
            if line.startswith(prefix)
        )

    def log(self) -> str:
        path = self.workdir / "log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
