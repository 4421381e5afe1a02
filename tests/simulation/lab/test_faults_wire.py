"""Each fault, injected through the control API of a running lab, seen by real SNMP clients."""

from __future__ import annotations

import asyncio
import time

import pytest
from pysnmp.hlapi.v3arch.asyncio import SnmpEngine

from tests.simulation.lab.client import (
    IF_HC_IN,
    IF_HC_OUT,
    IF_IN_OCTETS,
    IF_OPER,
    LLDP_REM_SYSNAME,
    SYS_UPTIME,
    _run,
    get,
    net_snmp,
    values,
)
from tests.simulation.lab.conftest import RunningLab

# the network is read from the database once per module; one lab per module, on one worker
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("lab-faults")]

LYCEE, MAIRIE, CHU, ECOLE = "cpe-0350001a", "cpe-0350002b", "cpe-0290001c", "cpe-0350003d"


def timed_out(result: object) -> bool:
    error_indication = result[0]  # type: ignore[index]
    return error_indication is not None and "timeout" in str(error_indication).lower()


def test_silent_agent_times_out_and_answers_again_once_cleared(lab: RunningLab) -> None:
    result = lab.api("POST", "/faults", {"fault": "silent", "target": LYCEE})
    assert result["devices"] == 1
    assert timed_out(get(lab.device(LYCEE), SYS_UPTIME, timeout=0.5, retries=0))
    assert values(get(lab.device(CHU), SYS_UPTIME))  # the others still answer
    assert lab.api("GET", "/faults")["faults"] == {LYCEE: ["silent"]}
    lab.api("DELETE", "/faults", {"target": LYCEE})
    assert values(get(lab.device(LYCEE), SYS_UPTIME))


def test_reboot_drops_sys_uptime_and_resets_counters(lab: RunningLab) -> None:
    device = lab.device(MAIRIE)  # v3: the engine boots again, the client must resynchronise
    before = values(get(device, SYS_UPTIME, f"{IF_HC_IN}.1"))
    lab.api("POST", "/faults", {"fault": "reboot", "target": device.name})
    after = values(get(device, SYS_UPTIME, f"{IF_HC_IN}.1"))
    assert int(after[SYS_UPTIME]) < int(before[SYS_UPTIME])
    assert int(after[SYS_UPTIME]) < 60 * 100
    assert int(after[f"{IF_HC_IN}.1"]) < int(before[f"{IF_HC_IN}.1"])
    assert lab.api("GET", "/faults")["faults"] == {}  # a reboot is an event, not a state


def test_counter32_agent_serves_wrapped_32_bit_octets_and_no_hc_columns(lab: RunningLab) -> None:
    device = lab.device(CHU)
    before = int(values(get(device, f"{IF_HC_IN}.1"))[f"{IF_HC_IN}.1"])
    assert before > 2**32  # this uplink has counted more than 32 bits can hold
    sent = time.time()
    lab.api("POST", "/faults", {"fault": "counter32", "target": device.name})
    _, status, _, varbinds = get(device, f"{IF_HC_IN}.1", f"{IF_IN_OCTETS}.1")
    elapsed = time.time() - sent
    assert int(status) == 0
    assert type(varbinds[0][1]).__name__ == "NoSuchObject"
    octets = int(varbinds[1][1])
    assert octets < 2**32
    limit = device.interfaces[0].traffic.in_limit_bps / 8
    assert (octets - before) % 2**32 <= limit * (elapsed + 1)  # the low 32 bits of the same count


def test_garbage_replies_are_decoding_errors_for_both_clients(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    lab.api("POST", "/faults", {"fault": "garbage", "target": device.name})

    async def poll() -> tuple[object, int]:
        engine = SnmpEngine()
        result = await _run(device, "get", (SYS_UPTIME,), engine=engine, timeout=0.5, retries=0)
        (errors,) = engine.get_mib_builder().import_symbols("__SNMPv2-MIB", "snmpInASNParseErrs")
        return result, int(errors.syntax)

    result, parse_errors = asyncio.run(poll())
    assert timed_out(result)
    assert parse_errors >= 1  # pysnmp received a reply it could not decode
    dump = net_snmp("snmpget", device, SYS_UPTIME, timeout=1, options=("-d",))
    assert dump.returncode != 0
    assert "Received" in dump.stderr + dump.stdout
    assert "Timeout" in dump.stderr


def test_slow_agent_answers_only_after_a_normal_timeout(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    lab.api("POST", "/faults", {"fault": "slow", "target": device.name, "delay_s": 1.5})
    assert timed_out(get(device, SYS_UPTIME, timeout=0.5, retries=0))
    assert values(get(device, SYS_UPTIME, timeout=8, retries=0))


def test_saturate_runs_both_ends_of_the_link_at_the_committed_rate(lab: RunningLab) -> None:
    cpe = lab.device(LYCEE)
    uplink = cpe.interfaces[0]
    pop = lab.device("pop-rennes-1")
    far = next(i for i in pop.interfaces if i.neighbour and i.neighbour.device_name == LYCEE)
    result = lab.api("POST", "/faults", {"fault": "saturate", "target": "0350001A"})
    assert result["ports"] == 2
    rate = uplink.traffic.in_limit_bps / 8 * 0.985
    t0 = time.time()
    first = values(get(cpe, f"{IF_HC_IN}.1"))[f"{IF_HC_IN}.1"]
    pop_first = values(get(pop, f"{IF_HC_OUT}.{far.if_index}"))[f"{IF_HC_OUT}.{far.if_index}"]
    t1 = time.time()
    time.sleep(1.5)
    t2 = time.time()
    second = values(get(cpe, f"{IF_HC_IN}.1"))[f"{IF_HC_IN}.1"]
    pop_second = values(get(pop, f"{IF_HC_OUT}.{far.if_index}"))[f"{IF_HC_OUT}.{far.if_index}"]
    t3 = time.time()
    for delta in (int(second) - int(first), int(pop_second) - int(pop_first)):
        # reads happened within [t0, t1] and [t2, t3]: the count lies between these bounds
        assert rate * (t2 - t1) - 1 <= delta <= rate * (t3 - t0) + 1


def test_iface_down_takes_both_ends_down_and_their_lldp_neighbours_away(lab: RunningLab) -> None:
    cpe, pop = lab.device(LYCEE), lab.device("pop-rennes-1")
    far = next(i for i in pop.interfaces if i.neighbour and i.neighbour.device_name == LYCEE)
    lab.api("POST", "/faults", {"fault": "iface-down", "target": LYCEE})
    cpe_view = get(cpe, f"{IF_OPER}.1", f"{LLDP_REM_SYSNAME}.0.1.1")[3]
    pop_view = get(pop, f"{IF_OPER}.{far.if_index}", f"{LLDP_REM_SYSNAME}.0.{far.if_index}.1")[3]
    for view in (cpe_view, pop_view):
        assert int(view[0][1]) == 2
        assert type(view[1][1]).__name__ == "NoSuchInstance"
    lab.api("DELETE", "/faults", {"target": LYCEE})
    back = values(get(pop, f"{IF_OPER}.{far.if_index}", f"{LLDP_REM_SYSNAME}.0.{far.if_index}.1"))
    assert int(back[f"{IF_OPER}.{far.if_index}"]) == 1


def test_pop_target_silences_the_pop_and_everything_behind_it(lab: RunningLab) -> None:
    result = lab.api("POST", "/faults", {"fault": "silent", "target": "pop:Rennes"})
    # Rennes' router, its two sites, the secondary PoP Vitré and the school behind Vitré
    assert result["devices"] == 5
    silenced = set(lab.api("GET", "/faults")["faults"])
    assert silenced == {"pop-rennes-1", LYCEE, MAIRIE, "pop-vitre-1", ECOLE}
    assert timed_out(get(lab.device(ECOLE), SYS_UPTIME, timeout=0.5, retries=0))
    assert values(get(lab.device(CHU), SYS_UPTIME))  # Brest is not behind Rennes
    assert values(get(lab.device("pop-brest-1"), SYS_UPTIME))
