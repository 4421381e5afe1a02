"""The fast path (hand-written BER) answers exactly what the full path (pyasn1) answers."""

from __future__ import annotations

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import rfc1901, rfc1902, rfc1905
from pysnmp.proto.api import v2c
from pysnmp.proto.mpmod.rfc3412 import ScopedPDU

from simulation.lab import ber, fastcodec, fullcodec
from simulation.lab.agent import DeviceAgent
from tests.simulation.lab.devices import Clock, device

COLUMNS = (
    "1.3.6.1.2.1.31.1.1.1.6",
    "1.3.6.1.2.1.31.1.1.1.10",
    "1.3.6.1.2.1.2.2.1.8",
    "1.3.6.1.2.1.31.1.1.1.15",
    "1.3.6.1.2.1.2.2.1.14",
)


def pysnmp_request(kind: str, oids: list[str], non_repeaters: int = 0, reps: int = 0) -> bytes:
    """A request message encoded by pysnmp/pyasn1, as a manager would send it."""
    if kind == "bulk":
        pdu = v2c.GetBulkRequestPDU()
        v2c.apiBulkPDU.set_defaults(pdu)
        v2c.apiBulkPDU.set_non_repeaters(pdu, non_repeaters)
        v2c.apiBulkPDU.set_max_repetitions(pdu, reps)
    else:
        pdu = v2c.GetRequestPDU() if kind == "get" else v2c.GetNextRequestPDU()
        v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, 4242)
    v2c.apiPDU.set_varbinds(pdu, [(rfc1902.ObjectName(o), v2c.null) for o in oids])
    message = v2c.Message()
    v2c.apiMessage.set_defaults(message)
    v2c.apiMessage.set_community(message, "public")
    v2c.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


REQUESTS = {
    "poller bulk": ("bulk", ["1.3.6.1.2.1.1.3", *COLUMNS], 1, 12),
    "bulk past the end": ("bulk", ["1.3.6.1.2.1.31.1.1.1.18.3", "1.3.6.1.2.1.99"], 0, 5),
    "get with errors": ("get", ["1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.3.9", "1.3.6.1.2.1.9.0"], 0, 0),
    "getnext lldp": ("next", ["1.0.8802.1.1.2.1.4.1.1", "1.3.6.1.2.1.1.2.0"], 0, 0),
}


def replies(data: bytes) -> tuple[bytes, bytes]:
    clock = Clock()
    fast = DeviceAgent(device(), clock=clock, codec="fast").handle(data)
    full = DeviceAgent(device(), clock=clock, codec="full").handle(data)
    assert fast is not None
    assert full is not None
    return fast.data, full.data


@pytest.mark.parametrize("case", sorted(REQUESTS))
def test_fast_and_full_paths_decode_to_the_same_message(case: str) -> None:
    kind, oids, non_repeaters, reps = REQUESTS[case]
    fast, full = replies(pysnmp_request(kind, oids, non_repeaters, reps))
    fast_msg, rest = decoder.decode(fast, asn1Spec=rfc1901.Message())
    full_msg, _ = decoder.decode(full, asn1Spec=rfc1901.Message())
    assert rest == b""
    assert fast_msg == full_msg
    assert fast_msg.prettyPrint() == full_msg.prettyPrint()
    assert fast == full  # both are DER-minimal: the very same bytes


def test_poller_bulk_answer_has_the_expected_shape() -> None:
    fast, _ = replies(pysnmp_request("bulk", ["1.3.6.1.2.1.1.3", *COLUMNS], 1, 4))
    message, _ = decoder.decode(fast, asn1Spec=rfc1901.Message())
    pdu = v2c.apiMessage.get_pdu(message)
    names = [str(oid) for oid, _ in v2c.apiPDU.get_varbinds(pdu)]
    assert names[0] == "1.3.6.1.2.1.1.3.0"
    assert names[1:6] == [f"{c}.1" for c in COLUMNS]
    assert names[-5:] == [f"{c}.4" for c in COLUMNS]
    assert len(names) == 1 + 4 * len(COLUMNS)


def test_scoped_pdus_are_the_same_on_both_paths() -> None:
    agent = DeviceAgent(device(version="v3"), clock=Clock())
    scoped = ScopedPDU()
    scoped["contextEngineId"] = agent.engine_id
    scoped["contextName"] = b""
    pdu = v2c.GetBulkRequestPDU()
    v2c.apiBulkPDU.set_defaults(pdu)
    v2c.apiBulkPDU.set_max_repetitions(pdu, 6)
    v2c.apiPDU.set_request_id(pdu, 7)
    v2c.apiPDU.set_varbinds(pdu, [(rfc1902.ObjectName(c), v2c.null) for c in COLUMNS])
    scoped["data"]["get-bulk-request"] = pdu
    data = bytes(encoder.encode(scoped))
    fast_req = fastcodec.decode_scoped(data)
    full_req = fullcodec.decode_scoped(data)
    assert fast_req == full_req
    response = agent.view.answer(fast_req[2], Clock().now, 60_000, 1_000)
    fast = fastcodec.encode_scoped(agent.engine_id, b"", response)
    full = fullcodec.encode_scoped(agent.engine_id, b"", response)
    assert (
        decoder.decode(fast, asn1Spec=ScopedPDU())[0]
        == decoder.decode(full, asn1Spec=ScopedPDU())[0]
    )
    assert fast == full


def test_full_path_takes_what_the_fast_decoder_refuses() -> None:
    # Indefinite lengths are legal BER that the fast decoder does not read: pyasn1 does.
    definite = pysnmp_request("get", ["1.3.6.1.2.1.1.5.0"])
    _, start, end = ber.header(definite, 0, len(definite))
    indefinite = b"\x30\x80" + definite[start:end] + b"\x00\x00"
    with pytest.raises(ber.DecodeError):
        fastcodec.decode_v2c(indefinite)
    reply = DeviceAgent(device(), clock=Clock()).handle(indefinite)
    assert reply is not None
    message, _ = decoder.decode(reply.data, asn1Spec=rfc1901.Message())
    varbinds = v2c.apiPDU.get_varbinds(v2c.apiMessage.get_pdu(message))
    assert str(varbinds[0][1]) == "cpe-test"


def test_set_requests_are_refused_read_only() -> None:
    pdu = v2c.SetRequestPDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_varbinds(
        pdu, [(rfc1902.ObjectName("1.3.6.1.2.1.1.5.0"), rfc1902.OctetString("x"))]
    )
    message = v2c.Message()
    v2c.apiMessage.set_defaults(message)
    v2c.apiMessage.set_community(message, "public")
    v2c.apiMessage.set_pdu(message, pdu)
    reply = DeviceAgent(device(), clock=Clock()).handle(bytes(encoder.encode(message)))
    assert reply is not None
    answer = v2c.apiMessage.get_pdu(decoder.decode(reply.data, asn1Spec=rfc1901.Message())[0])
    assert int(v2c.apiPDU.get_error_status(answer)) == 6  # noAccess


def test_ber_oids_round_trip_and_sort_like_numbers() -> None:
    oids: list[tuple[int, ...]] = [
        (1, 3, 6, 1, 2, 1, 2, 2, 1, 10, n) for n in (1, 2, 127, 128, 255, 16_384, 2**31)
    ]
    oids += [(1, 0, 8802, 1, 1, 2), (1, 3, 6, 1, 2, 1, 2, 2, 1, 10), (1, 3, 6, 1, 2, 1, 31)]
    encoded = [ber.encode_oid(o) for o in oids]
    assert [ber.decode_oid_octets(e) for e in encoded] == oids
    assert sorted(encoded) == [ber.encode_oid(o) for o in sorted(oids)]
    assert rfc1905.endOfMibView is not None
