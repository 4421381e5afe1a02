"""pysnmp's own decoding of a message, in the fast codec's plain form: the yardstick."""

from __future__ import annotations

from pyasn1.codec.ber import decoder
from pysnmp.proto import api

from poller.snmp.ber import Response
from poller.snmp.values import plain_varbinds


def pysnmp_decode(data: bytes) -> Response:
    """Decode with pyasn1 + pysnmp's v2c message spec; raises whatever they raise."""
    message, rest = decoder.decode(data, asn1Spec=api.v2c.Message())
    if rest:
        raise ValueError("trailing bytes after the message")
    pdu = api.v2c.apiMessage.get_pdu(message)
    tag = pdu.tagSet[-1]
    return Response(
        version=int(api.v2c.apiMessage.get_version(message)),
        community=bytes(api.v2c.apiMessage.get_community(message)),
        pdu_type=int(tag.tagClass) | int(tag.tagFormat) | int(tag.tagId),
        request_id=int(api.v2c.apiPDU.get_request_id(pdu)),
        error_status=int(api.v2c.apiPDU.get_error_status(pdu)),
        error_index=int(pdu["error-index"]),  # raw: the API clamps it to the varbinds
        varbinds=plain_varbinds(api.v2c.apiPDU.get_varbinds(pdu)),
    )
