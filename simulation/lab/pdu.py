"""Requests and responses as plain values, shared by the fast and the full (pyasn1) codecs.

OIDs are BER content bytes (see `ber`); a response varbind also carries its encoded TLV, which
the resolver computes once to enforce message-size limits and the fast codec reuses as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (OID content bytes, value tag, value, the varbind's full BER encoding)
VarBind = tuple[bytes, int, object, bytes]

NO_ERROR = 0
TOO_BIG = 1
GEN_ERR = 5
NO_ACCESS = 6


@dataclass(slots=True)
class Request:
    pdu_type: int
    request_id: int
    non_repeaters: int  # error-status for everything but GETBULK
    max_repetitions: int  # error-index for everything but GETBULK
    oids: list[bytes]


@dataclass(slots=True)
class Response:
    request_id: int
    error_status: int = NO_ERROR
    error_index: int = 0
    varbinds: list[VarBind] = field(default_factory=list)
    pdu_type: int = 0xA2  # Response; 0xA8 for a Report
