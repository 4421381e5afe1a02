"""One agent without sockets: counters, faults, SNMP errors, on a clock the test moves."""

from __future__ import annotations

import pytest
from pyasn1.codec.ber import decoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import rfc1901
from pysnmp.proto.api import v2c

from simulation.lab import ber
from simulation.lab.agent import DeviceAgent
from simulation.lab.pdu import TOO_BIG, Request
from simulation.lab.traffic import SATURATION
from tests.simulation.lab.devices import TUESDAY_PEAK, Clock, device
from tests.simulation.lab.test_codecs import pysnmp_request

HC_IN = "1.3.6.1.2.1.31.1.1.1.6.1"
HC_OUT = "1.3.6.1.2.1.31.1.1.1.10.1"
IN_OCTETS = "1.3.6.1.2.1.2.2.1.10.1"
OPER = "1.3.6.1.2.1.2.2.1.8.1"
UPTIME = "1.3.6.1.2.1.1.3.0"
LLDP_NAME = "1.0.8802.1.1.2.1.4.1.1.9.0.1.1"


def read(agent: DeviceAgent, oid: str) -> tuple[int, object]:
    _, tag, value, _ = agent.view.get(ber.parse_oid(oid), agent.clock())
    return tag, value


def number(agent: DeviceAgent, oid: str) -> int:
    tag, value = read(agent, oid)
    assert isinstance(value, int), (oid, tag)
    return value


def test_counters_grow_monotonically_and_never_beyond_the_committed_rate() -> None:
    clock = Clock()
    agent = DeviceAgent(device(limit_bps=100_000_000), clock=clock)
    previous = number(agent, HC_IN)
    for step in range(2_000):  # about a week, in uneven steps
        dt = 37.0 + (step % 11) * 113.0
        clock.now += dt
        value = number(agent, HC_IN)
        assert 0 <= value - previous <= 100_000_000 / 8 * dt + 1
        previous = value


def test_working_hours_carry_more_traffic_than_the_night() -> None:
    clock = Clock(TUESDAY_PEAK)  # 10:00 in Paris
    agent = DeviceAgent(device(), clock=clock)

    def rate_over_minute() -> float:
        start = number(agent, HC_IN)
        clock.now += 60
        return (number(agent, HC_IN) - start) / 60

    day = rate_over_minute()
    clock.now = TUESDAY_PEAK + 16 * 3600  # 02:00 in Paris
    night = rate_over_minute()
    assert day > 5 * night > 0


def test_saturated_link_runs_at_its_committed_rate_then_returns_to_its_profile() -> None:
    clock = Clock()
    agent = DeviceAgent(device(limit_bps=20_000_000), clock=clock)
    agent.set_ports(clock.now, set(), {1})
    start = number(agent, HC_IN)
    clock.now += 100
    assert number(agent, HC_IN) - start == int(20_000_000 / 8 * SATURATION * 100)
    agent.set_ports(clock.now, set(), set())
    before = number(agent, HC_IN)
    clock.now += 100
    after = number(agent, HC_IN)
    assert 0 < after - before < 20_000_000 / 8 * SATURATION * 100


def test_iface_down_sets_oper_down_hides_the_lldp_neighbour_and_freezes_counters() -> None:
    clock = Clock()
    agent = DeviceAgent(device(), clock=clock)
    assert read(agent, OPER) == (ber.INTEGER, 1)
    assert read(agent, LLDP_NAME) == (ber.OCTET_STRING, b"pop-1")
    agent.set_ports(clock.now, {1}, set())
    frozen = number(agent, HC_IN)
    clock.now += 300
    assert read(agent, OPER) == (ber.INTEGER, 2)
    assert read(agent, LLDP_NAME)[0] == ber.NO_SUCH_INSTANCE
    assert number(agent, HC_IN) == frozen
    assert number(agent, "1.3.6.1.2.1.2.2.1.9.1") > 0  # ifLastChange moved
    agent.clear(clock.now)
    clock.now += 60
    assert read(agent, OPER) == (ber.INTEGER, 1)
    assert number(agent, HC_IN) > frozen


def test_reboot_resets_uptime_and_counters() -> None:
    clock = Clock()
    agent = DeviceAgent(device(), clock=clock)
    uptime, counter = number(agent, UPTIME), number(agent, HC_IN)
    assert uptime > 7_200 * 100
    assert counter > 0
    agent.reboot(clock.now)
    clock.now += 30
    assert number(agent, UPTIME) == 3_000
    assert 0 < number(agent, HC_IN) < counter
    assert agent.engine_boots == 2


def test_counter32_agent_has_no_hc_columns_and_its_octets_wrap() -> None:
    clock = Clock()
    agent = DeviceAgent(device(limit_bps=1_000_000_000), clock=clock)
    agent.set_counter32(True)
    assert read(agent, HC_IN)[0] == ber.NO_SUCH_OBJECT
    _, tag, _, _ = agent.view._next(ber.parse_oid("1.3.6.1.2.1.31.1.1.1.1.4"), clock.now)
    assert tag == ber.GAUGE32  # the next column after ifName is ifHighSpeed: no HC in between
    wraps = 0
    previous = number(agent, IN_OCTETS)
    for _ in range(600):
        clock.now += 10
        value = number(agent, IN_OCTETS)
        assert value < 2**32
        if value < previous:
            wraps += 1
        assert value == agent.by_index[1].rx.value(clock.now) % 2**32
        previous = value
    assert wraps >= 1


def test_too_big_answers_are_refused_for_get_and_cut_for_getbulk() -> None:
    agent = DeviceAgent(device(interfaces=40), clock=Clock(), max_message_size=484)
    descr = [ber.parse_oid(f"1.3.6.1.2.1.2.2.1.2.{i}") for i in range(1, 41)]
    get = agent.view.answer(Request(ber.GET_REQUEST, 1, 0, 0, descr), agent.clock(), 400, 1_000)
    assert get.error_status == TOO_BIG
    assert get.varbinds == []
    reply = agent.handle(pysnmp_request("bulk", ["1.3.6.1.2.1.2.2.1.2"], 0, 40))
    assert reply is not None
    assert len(reply.data) <= 484
    message, _ = decoder.decode(reply.data, asn1Spec=rfc1901.Message())
    pdu = v2c.apiMessage.get_pdu(message)
    assert int(v2c.apiPDU.get_error_status(pdu)) == 0
    assert 5 < len(v2c.apiPDU.get_varbinds(pdu)) < 40


def test_silent_slow_and_garbage_change_the_reply_not_the_values() -> None:
    agent = DeviceAgent(device(), clock=Clock())
    request = pysnmp_request("get", [UPTIME])
    normal = agent.handle(request)
    assert normal is not None
    assert normal.delay == 0
    agent.slow = 5.0
    slow = agent.handle(request)
    assert slow is not None
    assert slow.delay == 5.0
    assert slow.data == normal.data
    agent.slow, agent.garbage = 0.0, True
    garbage = agent.handle(request)
    assert garbage is not None
    with pytest.raises(PyAsn1Error):  # pyasn1 refuses it, as a manager's decoder must
        decoder.decode(garbage.data, asn1Spec=rfc1901.Message())
    agent.garbage, agent.silent = False, True
    assert agent.handle(request) is None
    assert agent.faults() == ["silent"]


def test_requests_with_another_community_or_version_are_ignored() -> None:
    agent = DeviceAgent(device(), clock=Clock())
    request = pysnmp_request("get", [UPTIME]).replace(b"public", b"privat")
    assert agent.handle(request) is None
    assert agent.handle(b"\x30\x03\x02\x01\x00") is None  # SNMPv1
    assert agent.handle(b"not snmp at all") is None
