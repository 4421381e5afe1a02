"""A namespace that answers ICMP echo only through a userspace responder the test controls.

The far end of a veth pair (tests/poller/netns.py) in its own namespace, where the kernel answers
no echo (`net.ipv4.icmp_echo_ignore_all=1`, a per-namespace sysctl) and `icmp_responder.py` does,
with the delay and the seeded loss the test asks for. This kernel has no netem and no iptables.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.poller.netns import VethPair

ROOT = Path(__file__).resolve().parents[2]

needs_namespaces = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("ip") is None,
    reason="needs root and iproute2's `ip` (network namespaces, raw ICMP sockets)",
)


@dataclass
class IcmpNamespace:
    pair: VethPair
    responders: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return self.pair.far_address

    def create(self) -> IcmpNamespace:
        self.pair.create()
        subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                self.pair.namespace,
                "sysctl",
                "-qw",
                "net.ipv4.icmp_echo_ignore_all=1",
            ],
            check=True,
            capture_output=True,
        )
        return self

    def respond(
        self, delay_ms: float = 0, loss_pct: float = 0, seed: int = 0, mode: str = "normal"
    ) -> None:
        """Start a responder (stopping the previous one); returns once it listens."""
        self.stop()
        process = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                self.pair.namespace,
                sys.executable,
                "-m",
                "tests.prober.icmp_responder",
                "--delay-ms",
                str(delay_ms),
                "--loss-pct",
                str(loss_pct),
                "--seed",
                str(seed),
                "--mode",
                mode,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.responders.append(process)
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline() if ready else ""
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError(f"the ICMP responder did not start: {line!r}")

    def stop(self) -> None:
        while self.responders:
            process = self.responders.pop()
            process.terminate()
            process.communicate(timeout=10)

    def remove(self) -> None:
        self.stop()
        self.pair.remove()
