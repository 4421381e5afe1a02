"""The ICMP path against a userspace responder in a network namespace: delay, seeded loss,
silence and replies that must not count, with real raw sockets and a real veth pair."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from metrics.types import LinkProbe
from prober.icmp import ICMP_REFUSED, IcmpSender, checksum
from prober.runner import ProbeOptions, probe_slot
from prober.types import Method, ProbeRun, ProbeTarget
from tests.prober.netns_icmp import ROOT, IcmpNamespace, needs_namespaces

pytestmark = [needs_namespaces, pytest.mark.xdist_group("prober-icmp")]

SLOT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FAST = ProbeOptions(probes_per_slot=5, spread_s=0.2, timeout_s=0.5)


def icmp_target(address: str, link_id: int = 1) -> ProbeTarget:
    return ProbeTarget(link_id, 1, "cpe-netns", address, 0, Method.ICMP)


def run(
    targets: list[ProbeTarget], options: ProbeOptions = FAST
) -> tuple[list[LinkProbe], ProbeRun]:
    return asyncio.run(probe_slot(targets, SLOT, options))


def test_checksum_of_a_known_echo_request() -> None:
    """RFC 1071's sum over a request with its checksum filled in is 0."""
    header = bytes.fromhex("0800 0000 1234 0001")
    value = checksum(header + b"menhir")
    assert value != 0
    assert checksum(header[:2] + value.to_bytes(2, "big") + header[4:] + b"menhir") == 0


def test_a_slot_of_more_than_65536_probes_keeps_them_apart() -> None:
    """A raw socket's run spreads its probes over consecutive identifiers: sequence numbers past
    16 bits go and come back whole; another identifier is not the run's."""
    sender = IcmpSender(None, "raw")
    for sequence in (0, 65_535, 65_536, 70_000, 64 * 65_536 - 1):
        assert sender.sequence_of(*sender.on_wire(sequence)) == sequence
    assert sender.on_wire(70_000)[0] == (sender.ident + 1) & 0xFFFF
    assert sender.sequence_of((sender.ident - 1) & 0xFFFF, 7) is None
    datagram = IcmpSender(None, "datagram")  # the kernel's identifier: 16 bits of sequence
    assert datagram.sequence_of(12_345, 7) == 7


def test_injected_delay_is_measured(icmp_namespace: IcmpNamespace) -> None:
    icmp_namespace.respond(delay_ms=40)
    (slow, local), summary = run([icmp_target(icmp_namespace.address), icmp_target("127.0.0.1", 2)])
    assert summary.icmp_socket == "raw"
    assert (slow.method, slow.sent, slow.lost, slow.error) == ("icmp", 5, 0, None)
    assert slow.rtt_median_ms is not None
    assert 35 <= slow.rtt_median_ms <= 90  # wide bounds: timing is the bench's business
    assert local.lost == 0  # the loopback, answered by the root namespace's kernel
    assert local.rtt_median_ms is not None
    assert local.rtt_median_ms < 35


def test_seeded_loss_loses_the_exact_count(icmp_namespace: IcmpNamespace) -> None:
    icmp_namespace.respond(loss_pct=20, seed=7)
    options = ProbeOptions(probes_per_slot=50, spread_s=0.5, timeout_s=0.5)
    (probe,), summary = run([icmp_target(icmp_namespace.address)], options)
    draws = random.Random(7)  # the responder's generator: one draw per request received
    assert probe.lost == sum(draws.random() * 100 < 20 for _ in range(50)) == 13
    assert probe.error == "13 no reply"
    assert (summary.sent, summary.answered) == (50, 37)


def test_silent_responder_loses_every_probe(icmp_namespace: IcmpNamespace) -> None:
    icmp_namespace.respond(mode="silent")
    (probe,), summary = run([icmp_target(icmp_namespace.address)])
    assert (probe.sent, probe.lost, probe.rtt_median_ms, probe.jitter_ms) == (5, 5, None, None)
    assert probe.error == "5 no reply"
    assert (summary.answered, summary.problems) == (0, {})


def test_no_responder_and_no_kernel_answer_is_silence(icmp_namespace: IcmpNamespace) -> None:
    """`icmp_echo_ignore_all=1`: without the responder the namespace answers nothing."""
    icmp_namespace.stop()
    (probe,), _ = run([icmp_target(icmp_namespace.address)])
    assert (probe.lost, probe.error) == (5, "5 no reply")


def test_malformed_and_foreign_replies_are_ignored_and_counted(
    icmp_namespace: IcmpNamespace,
) -> None:
    """Before each true reply: 4 octets (less than an ICMP header: the kernel's ICMP_FILTER
    drops it before the prober sees it), a reply cut short, a bad checksum, another identifier
    and another payload."""
    icmp_namespace.respond(mode="noisy")
    (probe,), summary = run([icmp_target(icmp_namespace.address)])
    assert (probe.sent, probe.lost, probe.error) == (5, 0, None)
    assert summary.problems == {"short reply": 5, "bad checksum": 5, "foreign reply": 10}


def _ping_group_allows_us() -> bool:
    low, high = map(int, Path("/proc/sys/net/ipv4/ping_group_range").read_text().split())
    return low <= 0 <= high  # root's group


def test_unprivileged_sockets_degrade_clearly(icmp_namespace: IcmpNamespace) -> None:
    """Without raw sockets: ICMP datagram sockets if ping_group_range allows, else every ICMP
    probe lost with the reason, and the run says which."""
    icmp_namespace.respond()
    options = ProbeOptions(probes_per_slot=3, spread_s=0.1, timeout_s=0.5, icmp_privileged=False)
    (probe,), summary = run([icmp_target(icmp_namespace.address)], options)
    if _ping_group_allows_us():
        assert summary.icmp_socket == "datagram"
        assert (probe.lost, probe.error) == (0, None)
    else:
        assert summary.icmp_socket == "refused"
        assert (probe.lost, probe.error) == (3, f"3 {ICMP_REFUSED}")
        assert summary.problems == {ICMP_REFUSED: 3}


PROBE_FROM_INSIDE = """
import asyncio, json, sys
from prober.runner import ProbeOptions, probe_slot
from prober.types import Method, ProbeTarget
from tests.prober.test_icmp import SLOT
target = ProbeTarget(1, 1, "near", sys.argv[1], 0, Method.ICMP)
options = ProbeOptions(probes_per_slot=5, spread_s=0.2, timeout_s=0.5, icmp_privileged=False)
(probe,), run = asyncio.run(probe_slot([target], SLOT, options))
print(json.dumps({"socket": run.icmp_socket, "lost": probe.lost, "error": probe.error}))
"""


def test_datagram_sockets_where_ping_group_range_allows(icmp_namespace: IcmpNamespace) -> None:
    """The unprivileged path for real: inside the namespace, `ping_group_range` lets root's group
    open ICMP datagram sockets; the prober there probes the near end (the root namespace's
    kernel answers) through one, with the kernel's identifier and no IP header."""
    namespace = icmp_namespace.pair.namespace
    sysctl = ["ip", "netns", "exec", namespace, "sysctl", "-qw"]
    subprocess.run([*sysctl, "net.ipv4.ping_group_range=0 0"], check=True)
    try:
        done = subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                namespace,
                sys.executable,
                "-c",
                PROBE_FROM_INSIDE,
                icmp_namespace.pair.near_address,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        subprocess.run([*sysctl, "net.ipv4.ping_group_range=1 0"], check=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {
        "socket": "datagram",
        "lost": 0,
        "error": None,
    }


def test_another_runs_replies_are_not_counted(icmp_namespace: IcmpNamespace) -> None:
    """A raw socket sees every ICMP message the host receives: two runs at once, each its own
    socket and targets, count nothing of the other's replies."""
    icmp_namespace.respond()

    async def both() -> list[tuple[list[LinkProbe], ProbeRun]]:
        return list(
            await asyncio.gather(
                probe_slot([icmp_target(icmp_namespace.address)], SLOT, FAST),
                probe_slot([icmp_target("127.0.0.1", 2)], SLOT, FAST),
            )
        )

    for (probe,), summary in asyncio.run(both()):
        assert (probe.lost, probe.error) == (0, None)
        assert summary.problems == {}
