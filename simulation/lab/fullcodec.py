"""The full path: pysnmp's ASN.1 types and pyasn1's BER codec, for what the fast path refuses.

It produces the same values as `fastcodec` (a test compares both through pysnmp's decoder); it
is several times slower, which is why it is not the path the poller's usual requests take.
"""

from __future__ import annotations

from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import rfc1901, rfc1902, rfc1905
from pysnmp.proto.api import v2c
from pysnmp.proto.mpmod.rfc3412 import ScopedPDU

from simulation.lab import ber
from simulation.lab.pdu import Request, Response

_REQUEST_CLASSES: tuple[tuple[Any, int], ...] = (
    (rfc1905.GetRequestPDU, ber.GET_REQUEST),
    (rfc1905.GetNextRequestPDU, ber.GET_NEXT_REQUEST),
    (rfc1905.GetBulkRequestPDU, ber.GET_BULK_REQUEST),
    (rfc1905.SetRequestPDU, ber.SET_REQUEST),
)


def _request(pdus: Any) -> Request:
    pdu = pdus.getComponent()
    pdu_type = next((t for cls, t in _REQUEST_CLASSES if pdu.tagSet == cls.tagSet), None)
    if pdu_type is None:
        raise ber.DecodeError("not a request PDU")
    if pdu_type == ber.GET_BULK_REQUEST:
        first, second = int(pdu["non-repeaters"]), int(pdu["max-repetitions"])
    else:
        first, second = int(pdu["error-status"]), int(pdu["error-index"])
    oids = [ber.encode_oid(tuple(vb["name"])) for vb in pdu["variable-bindings"]]
    return Request(pdu_type, int(pdu["request-id"]), first, second, oids)


def _value(tag: int, value: Any) -> Any:
    if tag == ber.INTEGER:
        return rfc1902.Integer32(value)
    if tag == ber.OCTET_STRING:
        return rfc1902.OctetString(value)
    if tag == ber.OBJECT_IDENTIFIER:
        return rfc1902.ObjectName(ber.decode_oid_octets(value))
    if tag == ber.IP_ADDRESS:
        return rfc1902.IpAddress(value)
    if tag == ber.COUNTER32:
        return rfc1902.Counter32(value)
    if tag == ber.GAUGE32:
        return rfc1902.Gauge32(value)
    if tag == ber.TIMETICKS:
        return rfc1902.TimeTicks(value)
    if tag == ber.COUNTER64:
        return rfc1902.Counter64(value)
    if tag == ber.NO_SUCH_OBJECT:
        return rfc1905.noSuchObject
    if tag == ber.NO_SUCH_INSTANCE:
        return rfc1905.noSuchInstance
    if tag == ber.END_OF_MIB_VIEW:
        return rfc1905.endOfMibView
    if tag == ber.NULL:
        return rfc1902.Null("")
    raise ValueError(f"no SNMP type for tag {tag:#x}")


def _pdus(response: Response) -> Any:
    pdu = rfc1905.ReportPDU() if response.pdu_type == ber.REPORT else rfc1905.ResponsePDU()
    pdu["request-id"] = response.request_id
    pdu["error-status"] = response.error_status
    pdu["error-index"] = response.error_index
    bindings = pdu["variable-bindings"]
    bindings.clear()
    for position, (oid, tag, value, _) in enumerate(response.varbinds):
        varbind = rfc1905.VarBind()
        v2c.apiVarBind.set_oid_value(
            varbind, (rfc1902.ObjectName(ber.decode_oid_octets(oid)), _value(tag, value))
        )
        bindings.setComponentByPosition(position, varbind)
    pdus = rfc1905.PDUs()
    pdus["report" if response.pdu_type == ber.REPORT else "response"] = pdu
    return pdus


def decode_v2c(data: bytes) -> tuple[bytes, Request]:
    try:
        message, _ = decoder.decode(data, asn1Spec=rfc1901.Message())
        if int(message["version"]) != 1:
            raise ber.DecodeError("not SNMPv2c")
        return bytes(message["community"]), _request(message["data"])
    except PyAsn1Error as error:
        raise ber.DecodeError(str(error)) from None


def encode_v2c(community: bytes, response: Response) -> bytes:
    message = rfc1901.Message()
    message["version"] = 1
    message["community"] = community
    message["data"] = _pdus(response)
    return bytes(encoder.encode(message))


def decode_scoped(data: bytes) -> tuple[bytes, bytes, Request]:
    try:
        scoped, _ = decoder.decode(data, asn1Spec=ScopedPDU())
        return (
            bytes(scoped["contextEngineId"]),
            bytes(scoped["contextName"]),
            _request(scoped["data"]),
        )
    except PyAsn1Error as error:
        raise ber.DecodeError(str(error)) from None


def encode_scoped(engine_id: bytes, name: bytes, response: Response) -> bytes:
    scoped = ScopedPDU()
    scoped["contextEngineId"] = engine_id
    scoped["contextName"] = name
    scoped["data"] = _pdus(response)
    return bytes(encoder.encode(scoped))
