"""pysnmp's USM building SNMPv3 messages with injected msgID, salt and engine clock: the yardstick.

The message is assembled from pysnmp's own ASN.1 classes and signed/encrypted by pysnmp's USM
service (`generate_request_message`), so keys, HMACs, AES, the IV and the framing are all
pysnmp's. The only hooks are the inputs a real engine would draw at random or learn from the
agent: the msgID, the AES salt counter and the agent's boots/time (pysnmp's timeline).
"""

from __future__ import annotations

import time
from typing import Any

from pyasn1.codec.ber import decoder
from pysnmp.entity import config
from pysnmp.entity.engine import SnmpEngine
from pysnmp.proto import api
from pysnmp.proto.mpmod import rfc3412
from pysnmp.proto.secmod.rfc3826.priv.aes import Aes

from poller.snmp.ber import GET_BULK_REQUEST, GET_REQUEST, RESPONSE
from poller.snmp.oids import Oid

v2c = api.v2c
AUTH = {
    "none": config.USM_AUTH_NONE,
    "md5": config.USM_AUTH_HMAC96_MD5,
    "sha": config.USM_AUTH_HMAC96_SHA,
    "sha224": config.USM_AUTH_HMAC128_SHA224,
    "sha256": config.USM_AUTH_HMAC192_SHA256,
    "sha384": config.USM_AUTH_HMAC256_SHA384,
    "sha512": config.USM_AUTH_HMAC384_SHA512,
}
PRIV = {"none": config.USM_PRIV_NONE, "aes128": config.USM_PRIV_CFB128_AES}
USM = 3


def _engine(user: str, auth: str, auth_key: str, priv: str, priv_key: str, engine_id: bytes) -> Any:
    engine = SnmpEngine()
    config.add_v3_user(
        engine,
        user,
        AUTH[auth],
        auth_key if auth != "none" else None,
        PRIV[priv],
        priv_key if priv != "none" else None,
        securityEngineId=v2c.OctetString(engine_id),
    )
    return engine


def _level(auth: str, priv: str) -> int:
    return 1 if auth == "none" else (3 if priv != "none" else 2)


def _pdu(pdu_type: int, request_id: int, oids: list[Oid], nr: int, mr: int) -> Any:
    if pdu_type == GET_BULK_REQUEST:
        pdu = v2c.GetBulkRequestPDU()
        v2c.apiBulkPDU.set_defaults(pdu)
        v2c.apiBulkPDU.set_non_repeaters(pdu, nr)
        v2c.apiBulkPDU.set_max_repetitions(pdu, mr)
    else:
        assert pdu_type == GET_REQUEST
        pdu = v2c.GetRequestPDU()
        v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, request_id)
    v2c.apiPDU.set_varbinds(pdu, [(o, v2c.null) for o in oids])
    return pdu


def _wrap(
    engine: Any,
    user: str,
    level: int,
    engine_id: bytes,
    msg_id: int,
    flags: int,
    pdu: Any,
) -> bytes:
    scoped = rfc3412.ScopedPDU()
    scoped.setComponentByPosition(0, engine_id)
    scoped.setComponentByPosition(1, b"")
    scoped.setComponentByPosition(2)
    scoped.getComponentByPosition(2).setComponentByType(pdu.tagSet, pdu)
    msg = rfc3412.SNMPv3Message()
    msg.setComponentByPosition(0, 3)
    header = msg.setComponentByPosition(1).getComponentByPosition(1)
    header.setComponentByPosition(0, msg_id)
    header.setComponentByPosition(1, 65507)
    header.setComponentByPosition(2, bytes((flags,)))
    header.setComponentByPosition(3, USM)
    usm = engine.security_models[USM]
    _, whole = usm.generate_request_message(
        engine, 3, msg, 65507, USM, v2c.OctetString(engine_id), v2c.OctetString(user), level, scoped
    )
    return bytes(whole)


def pysnmp_request(
    *,
    user: str,
    auth: str,
    auth_key: str,
    priv: str,
    priv_key: str,
    engine_id: bytes,
    boots: int,
    engine_time: int,
    msg_id: int,
    request_id: int,
    salt: int,
    pdu_type: int,
    oids: list[Oid],
    non_repeaters: int = 0,
    max_repetitions: int = 0,
) -> bytes:
    """The request pysnmp's USM sends for these inputs (salt as the 64-bit counter's value)."""
    engine = _engine(user, auth, auth_key, priv, priv_key, engine_id)
    usm = engine.security_models[USM]
    # The agent's clock as pysnmp would have learnt it from a Report.
    usm._SnmpUSMSecurityModel__timeline[engine_id] = (
        boots,
        engine_time,
        engine_time,
        int(time.time()),
    )
    usm.PRIV_SERVICES[Aes.SERVICE_ID].local_int = salt
    level = _level(auth, priv)
    flags = 0x04 | (0x01 if level >= 2 else 0) | (0x02 if level == 3 else 0)
    pdu = _pdu(pdu_type, request_id, oids, non_repeaters, max_repetitions)
    return _wrap(engine, user, level, engine_id, msg_id, flags, pdu)


def pysnmp_response(
    *,
    user: str,
    auth: str,
    auth_key: str,
    priv: str,
    priv_key: str,
    engine_id: bytes,
    msg_id: int,
    v2c_message: bytes,
) -> bytes:
    """A recorded v2c Response re-wrapped as an SNMPv3 message by pysnmp's USM (agent side)."""
    message, _ = decoder.decode(v2c_message, asn1Spec=v2c.Message())
    pdu = v2c.apiMessage.get_pdu(message)
    tag = pdu.tagSet[-1]
    assert int(tag.tagClass) | int(tag.tagFormat) | int(tag.tagId) == RESPONSE
    engine = _engine(user, auth, auth_key, priv, priv_key, engine_id)
    level = _level(auth, priv)
    flags = (0x01 if level >= 2 else 0) | (0x02 if level == 3 else 0)
    return _wrap(engine, user, level, engine_id, msg_id, flags, pdu)
