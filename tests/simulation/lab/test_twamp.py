"""The lab's TWAMP-Light reflectors: the RFC 5357 wire format, link latency, latency/loss faults.

The client here is a plain UDP socket with packets laid out by hand from RFC 5357 §4.1.2 and
§4.2.1 (not the shared codec), so a mistake in `common.twamp` cannot hide on both sides.
"""

from __future__ import annotations

import random
import socket
import struct
import time

import pytest

from common import twamp
from simulation.lab.reflector import Reflector, base_rtt_ms, distance_km
from tests.simulation.lab.conftest import TWAMP_PORT, RunningLab

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("lab-twamp")]

LYCEE, CHU = "cpe-0350001a", "cpe-0290001c"
NTP_OFFSET = 2_208_988_800


def ntp_now() -> int:
    now = time.time()
    return (int(now) + NTP_OFFSET) << 32 | int((now % 1) * 2**32)


def test_packets_follow_the_rfc_layout() -> None:
    """A sender packet is seq(4) T1(8) error(2) + padding; the reflection is 41 octets + padding."""
    request = struct.pack("!IQH", 7, 0x1234_5678_9ABC_DEF0, 0x8001) + bytes(27)
    sent = twamp.decode_sender(request)
    assert (sent.sequence, sent.timestamp, sent.error_estimate, sent.padding) == (
        7,
        0x1234_5678_9ABC_DEF0,
        0x8001,
        27,
    )
    packet = twamp.reflect(sent, 3, 1_700_000_000.5, 1_700_000_000.75, 64)
    reflected = twamp.encode_reflected(packet)
    assert len(reflected) == 41  # 27 octets of padding fewer: the same size both ways
    fields = struct.unpack("!IQHHQIQHHB", reflected)
    assert fields[0] == 3  # the reflector's own sequence
    assert fields[1] == (1_700_000_000 + NTP_OFFSET) << 32 | (3 << 30)  # T3, .75 s
    assert (fields[3], fields[8]) == (0, 0)  # MBZ
    assert fields[4] == (1_700_000_000 + NTP_OFFSET) << 32 | (1 << 31)  # T2, .5 s
    assert fields[5:8] == (7, 0x1234_5678_9ABC_DEF0, 0x8001)  # the sender's fields copied
    assert fields[9] == 64  # the sender's TTL as received
    assert twamp.from_ntp(twamp.to_ntp(1_700_000_000.25)) == pytest.approx(1_700_000_000.25)


def test_base_latency_follows_technology_and_distance() -> None:
    assert 20 <= base_rtt_ms("adsl", 0) < base_rtt_ms("adsl", 40) < base_rtt_ms("adsl", 500) <= 40
    assert 1 <= base_rtt_ms("ftto", 0) < base_rtt_ms("ftto", 500) <= 5
    assert distance_km(48.11, -1.68, 48.39, -4.49) == pytest.approx(210, abs=5)  # Rennes–Brest


def test_reflector_drops_what_it_cannot_read_and_loss_follows_its_seed() -> None:
    reflector = Reflector("cpe", 2.0)
    assert reflector.accept(b"\x00" * 13) is None
    assert reflector.malformed == 1
    reflector.set_loss(20, seed=7)
    request = twamp.encode_sender(twamp.SenderPacket(1, ntp_now()))
    kept = [reflector.accept(request) is not None for _ in range(50)]
    draws = random.Random(7)  # the documented generator: one draw per packet received
    assert kept == [draws.random() * 100 >= 20 for _ in range(50)]
    assert kept.count(False) == 13


def exchange(
    lab: RunningLab, name: str, count: int, *, timeout: float = 1.0, ttl: int = 255
) -> dict[int, tuple[bytes, float, float, str]]:
    """Send `count` test packets to a device's reflector; replies by sender sequence."""
    device = lab.device(name)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    sock.settimeout(timeout)
    sent: dict[int, float] = {}
    replies: dict[int, tuple[bytes, float, float, str]] = {}
    try:
        for seq in range(count):
            sent[seq] = time.monotonic()
            packet = struct.pack("!IQH", seq, ntp_now(), 0x1601) + bytes(27)
            sock.sendto(packet, (device.address, TWAMP_PORT))
            time.sleep(0.002)
        deadline = time.monotonic() + timeout
        while len(replies) < count and time.monotonic() < deadline:
            try:
                data, (source, _) = sock.recvfrom(2048)
            except TimeoutError:
                break
            seq = struct.unpack_from("!I", data, 24)[0]
            replies[seq] = (data, sent[seq], time.monotonic(), source)
    finally:
        sock.close()
    return replies


def test_every_device_reflects_from_its_own_address(lab: RunningLab) -> None:
    for device in lab.network.devices:
        replies = exchange(lab, device.name, 1)
        data, _, _, source = replies[0]
        assert source == device.address
        assert len(data) == 41
        fields = struct.unpack("!IQHHQIQHHB", data)
        assert (fields[5], fields[7], fields[9]) == (0, 0x1601, 255)
        assert fields[4] <= fields[1]  # received (T2) before sent (T3)


def test_injected_latency_is_measured_and_cleared(lab: RunningLab) -> None:
    assert len(exchange(lab, LYCEE, 5)) == 5
    result = lab.api("POST", "/faults", {"fault": "latency", "target": LYCEE, "ms": 40})
    assert result["devices"] == 1
    assert lab.api("GET", "/faults")["faults"] == {LYCEE: ["latency"]}
    slow = exchange(lab, LYCEE, 5)
    rtts = sorted(b - a for _, a, b, _ in slow.values())
    assert len(rtts) == 5
    assert 0.035 <= rtts[2] <= 0.090  # wide bounds: timing is the bench's business
    for data, *_ in slow.values():  # the delay is on the wire, not in the reflector's residence
        fields = struct.unpack("!IQHHQIQHHB", data)
        assert twamp.from_ntp(fields[1]) - twamp.from_ntp(fields[4]) < 0.040
    lab.api("DELETE", "/faults", {"target": LYCEE})
    assert lab.api("GET", "/faults")["faults"] == {}
    assert len(exchange(lab, LYCEE, 5)) == 5


def test_loss_drops_the_seeded_share_and_silent_drops_everything(lab: RunningLab) -> None:
    lab.api("POST", "/faults", {"fault": "loss", "target": CHU, "pct": 20, "seed": 7})
    replies = exchange(lab, CHU, 50)
    assert 50 - len(replies) == 13  # random.Random(7): 13 of its first 50 draws are below 0.2
    assert sorted(set(range(50)) - set(replies)) == [1, 3, 6, 8, 10, 11, 14, 21, 24, 25, 28, 33, 34]
    lab.api("DELETE", "/faults", {"target": CHU})
    lab.api("POST", "/faults", {"fault": "silent", "target": CHU})
    assert exchange(lab, CHU, 5, timeout=0.5) == {}
    lab.api("DELETE", "/faults", {"target": CHU})
    assert len(exchange(lab, CHU, 5)) == 5


@pytest.mark.parametrize(
    "payload",
    [
        {"fault": "latency", "target": LYCEE},
        {"fault": "latency", "target": LYCEE, "ms": -1},
        {"fault": "loss", "target": LYCEE, "pct": 101},
        {"fault": "loss", "target": LYCEE, "pct": 10, "seed": "x"},
    ],
)
def test_bad_fault_parameters_are_refused(lab: RunningLab, payload: dict[str, object]) -> None:
    from simulation.lab.control import ControlError

    with pytest.raises(ControlError, match="400"):
        lab.api("POST", "/faults", payload)
    assert lab.api("GET", "/faults")["faults"] == {}
