"""Accuracy: the throughput the poller measures matches the bytes really sent within 2 %.

snmpd (root namespace) counts a veth whose peer lives in a namespace this test creates; known
traffic goes through the veth (not lo) while the poller polls across several 3-s cache refreshes.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest

from metrics.types import InterfaceSample
from poller.runner import poll_many
from poller.state import PollState
from poller.types import InterfaceRef, Target
from tests.poller.conftest import V2C
from tests.poller.netns import VethPair
from tests.poller.snmpd import Snmpd

PAYLOAD = 1400
FRAME = PAYLOAD + 8 + 20 + 14  # UDP, IPv4 and Ethernet headers, as the interface counts them
RATE_BPS = 16_000_000
SECONDS = 10.0


def _send(destination: str, stop_at: float, sent: list[int]) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"m" * PAYLOAD
    frames_per_tick = int(RATE_BPS / 8 / FRAME / 20)  # 20 ticks per second
    start = time.monotonic()
    tick = 0
    while time.monotonic() < stop_at:
        for _ in range(frames_per_tick):
            sock.sendto(payload, (destination, 9))
            sent[0] += 1
        tick += 1
        time.sleep(max(0.0, start + tick / 20 - time.monotonic()))
    sock.close()


def test_measured_throughput_matches_bytes_sent_within_two_percent(
    snmpd: Snmpd, veth: VethPair
) -> None:
    target = Target(
        1,
        "acc",
        snmpd.addresses[0],
        V2C,
        port=snmpd.port,
        timeout_s=1.0,
        interfaces={veth.if_index: InterfaceRef(7, 10_000_000_000)},
    )
    state = PollState()
    samples: list[InterfaceSample] = []

    async def cycle() -> None:
        [outcome] = await poll_many([target], state)
        assert outcome.ok, outcome.error
        samples.extend(outcome.interfaces)

    asyncio.run(cycle())
    kernel_before = veth.tx_bytes()
    sent = [0]
    sender = threading.Thread(
        target=_send, args=(veth.far_address, time.monotonic() + SECONDS, sent)
    )
    sender.start()
    while sender.is_alive():
        time.sleep(1.0)
        asyncio.run(cycle())
    sender.join()
    time.sleep(3.5)  # one more cache refresh: the last octets reach the counters
    asyncio.run(cycle())
    kernel_sent = veth.tx_bytes() - kernel_before

    rates = [(s.out_bps, s.interval_s) for s in samples[1:]]
    measured = [(bps, seconds) for bps, seconds in rates if bps is not None and seconds]
    assert len(measured) == len(rates), "an interval was unknown"
    octets = sum(bps * seconds / 8 for bps, seconds in measured)
    expected = sent[0] * FRAME
    assert expected > 0.8 * RATE_BPS / 8 * SECONDS
    assert octets == pytest.approx(expected, rel=0.02)
    assert kernel_sent == pytest.approx(expected, rel=0.02)
    window = (samples[-1].time - samples[0].time).total_seconds()
    assert octets * 8 / window == pytest.approx(expected * 8 / window, rel=0.02)
    assert max(bps for bps, _ in measured) > RATE_BPS / 2
