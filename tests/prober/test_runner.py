"""The prober against the lab's TWAMP-Light reflectors (real UDP, real faults) and bad replies."""

from __future__ import annotations

import asyncio
import random
import socket
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from common import twamp
from metrics.types import LinkProbe
from prober.runner import ProbeOptions, probe_slot, summarise
from prober.targets import load_targets
from prober.types import Method, ProbeRun, ProbeTarget
from tests.simulation.lab.conftest import TWAMP_PORT, RunningLab
from tests.simulation.lab.small_network import build

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("prober")]

SLOT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
LYCEE, CHU = "cpe-0350001a", "cpe-0290001c"
FAST = ProbeOptions(probes_per_slot=5, spread_s=0.2, timeout_s=0.5)


def target(lab: RunningLab, name: str, link_id: int = 1) -> ProbeTarget:
    device = lab.device(name)
    return ProbeTarget(link_id, 1, name, device.address, TWAMP_PORT)


def run(
    lab: RunningLab, targets: list[ProbeTarget], options: ProbeOptions = FAST
) -> tuple[list[LinkProbe], ProbeRun]:
    return asyncio.run(probe_slot(targets, SLOT, options))


def test_summary_of_a_slot() -> None:
    """RTTs 10, 12, lost, 11 ms: median 11, jitter mean(|12−10|, |11−12|) = 1.5 ms."""
    probe = summarise(
        ProbeTarget(7, 3, "cpe", "127.0.0.1", 862), SLOT, [0.010, 0.012, None, 0.011], Counter()
    )
    assert (probe.sent, probe.lost) == (4, 1)
    assert (probe.rtt_min_ms, probe.rtt_median_ms, probe.rtt_max_ms) == (10.0, 11.0, 12.0)
    assert probe.jitter_ms == pytest.approx(1.5)
    assert probe.error == "1 no reply"
    silent = summarise(ProbeTarget(7, 3, "cpe", "127.0.0.1", 862), SLOT, [None] * 5, Counter())
    assert (silent.lost, silent.rtt_median_ms, silent.jitter_ms) == (5, None, None)


def test_targets_are_the_access_links_far_ends(lab: RunningLab) -> None:
    build(lab.net)  # the same network again, in this test's transaction
    load = load_targets()
    cpes = {d.name: d.address for d in lab.network.devices if d.name.startswith("cpe-")}
    assert {t.name: t.address for t in load.targets} == cpes  # backbone links are not probed
    assert {t.port for t in load.targets} == {twamp.DEFAULT_PORT}
    assert load.skipped == []


def test_targets_take_the_method_of_their_device(lab: RunningLab) -> None:
    """`Device.probe_method`: ICMP targets have no port, `none` is skipped with its reason."""
    from inventory.models import Device

    build(lab.net)
    Device.objects.filter(name=LYCEE).update(probe_method="icmp")
    Device.objects.filter(name=CHU).update(probe_method="none")
    load = load_targets()
    methods = {t.name: (t.method, t.port) for t in load.targets}
    assert methods[LYCEE] == (Method.ICMP, 0)
    assert CHU not in methods
    assert {m for n, m in methods.items() if n != LYCEE} == {(Method.TWAMP, twamp.DEFAULT_PORT)}
    assert [s.reason for s in load.skipped] == [f"{CHU} is not probed (probe method: none)"]


def test_a_shard_gets_only_the_links_whose_far_end_is_one_of_its_devices(lab: RunningLab) -> None:
    """`load_targets(device_ids)`: what a distributed poll shard probes (MENHIR_PROBE_IN_SHARDS).
    A PoP router of the shard does not bring the links it terminates: their CPEs are probed by
    the CPEs' shard."""
    from inventory.models import Device

    build(lab.net)
    ids = dict(Device.objects.values_list("name", "pk"))
    routers = [pk for name, pk in ids.items() if not name.startswith("cpe-")]
    shard = load_targets([ids[LYCEE], *routers])
    assert [t.name for t in shard.targets] == [LYCEE]
    assert load_targets([]).targets == []
    everything = load_targets(list(ids.values()))
    assert everything.targets == load_targets().targets


def test_every_link_answers_with_its_base_latency(lab: RunningLab) -> None:
    names = [d.name for d in lab.network.devices if d.name.startswith("cpe-")]
    results, summary = run(lab, [target(lab, n, i) for i, n in enumerate(names)])
    assert (summary.targets, summary.sent, summary.answered) == (4, 20, 20)
    for probe in results:
        assert (probe.sent, probe.lost, probe.error) == (5, 0, None)
        rtts = (probe.rtt_min_ms, probe.rtt_median_ms, probe.rtt_max_ms)
        assert None not in rtts
        assert 0 < rtts[0] <= rtts[1] <= rtts[2] < 30  # type: ignore[operator]  # fibre
        assert probe.jitter_ms is not None
        assert probe.time == SLOT


def test_injected_latency_is_measured(lab: RunningLab) -> None:
    lab.api("POST", "/faults", {"fault": "latency", "target": LYCEE, "ms": 40, "jitter_ms": 5})
    (slow, quick), _ = run(lab, [target(lab, LYCEE, 1), target(lab, CHU, 2)])
    assert slow.rtt_median_ms is not None
    assert quick.rtt_median_ms is not None
    assert 35 <= slow.rtt_median_ms <= 90  # wide bounds: timing is the bench's business
    assert slow.lost == 0
    assert quick.rtt_median_ms < 35


def test_seeded_loss_loses_the_exact_count(lab: RunningLab) -> None:
    lab.api("POST", "/faults", {"fault": "loss", "target": CHU, "pct": 20, "seed": 7})
    options = ProbeOptions(probes_per_slot=50, spread_s=0.5, timeout_s=0.5)
    (probe,), summary = run(lab, [target(lab, CHU)], options)
    draws = random.Random(7)  # the lab's documented generator: one draw per packet received
    assert probe.lost == sum(draws.random() * 100 < 20 for _ in range(50)) == 13
    assert probe.error == "13 no reply"
    assert (summary.sent, summary.answered) == (50, 37)


def test_silent_device_loses_every_probe(lab: RunningLab) -> None:
    lab.api("POST", "/faults", {"fault": "silent", "target": LYCEE})
    (probe, other), summary = run(lab, [target(lab, LYCEE, 1), target(lab, CHU, 2)])
    assert (probe.sent, probe.lost, probe.rtt_median_ms) == (5, 5, None)
    assert probe.error == "5 no reply"
    assert other.lost == 0
    assert summary.answered == 5


def probe_bad(answer: Callable[[bytes], list[bytes]]) -> tuple[list[LinkProbe], ProbeRun]:
    """Probe a reflector of this test's own that answers each test packet with `answer(data)`."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    address = f"127.{random.randrange(60, 250)}.{random.randrange(1, 250)}.250"
    sock.bind((address, 0))
    sock.setblocking(False)
    target = ProbeTarget(9, 9, "bad", address, sock.getsockname()[1])

    async def scenario() -> tuple[list[LinkProbe], ProbeRun]:
        server = asyncio.create_task(_serve_bad(sock, answer))
        try:
            return await probe_slot([target], SLOT, FAST)
        finally:
            server.cancel()

    try:
        return asyncio.run(scenario())
    finally:
        sock.close()


async def _serve_bad(sock: socket.socket, answer: Callable[[bytes], list[bytes]]) -> None:
    loop = asyncio.get_running_loop()
    while True:
        data, addr = await loop.sock_recvfrom(sock, 2048)
        for reply in answer(data):
            await loop.sock_sendto(sock, reply, addr)


def _reflected(data: bytes, sequence_shift: int = 0) -> bytes:
    request = twamp.decode_sender(data)
    shifted = twamp.SenderPacket(
        (request.sequence + sequence_shift) & 0xFFFF_FFFF, request.timestamp
    )
    now = datetime.now(UTC).timestamp()
    return twamp.encode_reflected(twamp.reflect(shifted, 0, now, now, 255))


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (lambda data: [b"\x00" * 20], "short reply"),
        (lambda data: [_reflected(data, 1000)], "wrong sequence"),
        (lambda data: [b""], "short reply"),
    ],
    ids=["short", "wrong-sequence", "empty"],
)
def test_malformed_replies_are_lost_with_a_reason(
    answer: Callable[[bytes], list[bytes]], reason: str
) -> None:
    (probe,), summary = probe_bad(answer)
    assert (probe.sent, probe.lost) == (5, 5)
    assert probe.error == f"5 {reason}"
    assert summary.problems == {reason: 5}


def test_duplicate_replies_count_once() -> None:
    (probe,), summary = probe_bad(lambda data: [_reflected(data)] * 2)
    assert (probe.sent, probe.lost, probe.error) == (5, 0, None)
    assert summary.problems == {"duplicate reply": 5}
