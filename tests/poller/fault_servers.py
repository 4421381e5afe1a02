"""Tiny misbehaving UDP 'agents' on loopback: silent, garbage-sending, or answering errors."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pyasn1.codec.ber import decoder
from pysnmp.proto import api

from poller.snmp.ber import RESPONSE, SEQUENCE

Answer = Callable[[bytes], bytes | None]


def silent(_request: bytes) -> None:
    return None


def garbage(_request: bytes) -> bytes:
    return b"\x30\x82\xff\xffthis is not BER at all"


def _request_id(request: bytes) -> int:
    message, _ = decoder.decode(request, asn1Spec=api.v2c.Message())
    return int(api.v2c.apiPDU.get_request_id(api.v2c.apiMessage.get_pdu(message)))


def error_status(status: int) -> Answer:
    """Answer every request with a Response carrying `status` and error-index 1."""

    def answer(request: bytes) -> bytes:
        rid = _request_id(request)
        body = (
            b"\x02\x04"
            + rid.to_bytes(4, "big", signed=True)
            + b"\x02\x01"
            + bytes((status,))
            + b"\x02\x01\x01"
            + b"\x30\x00"
        )
        pdu = bytes((RESPONSE, len(body))) + body
        content = b"\x02\x01\x01\x04\x01c" + pdu
        return bytes((SEQUENCE, len(content))) + content

    return answer


@contextmanager
def udp_server(answer: Answer, address: str = "127.0.0.1") -> Iterator[tuple[str, int]]:
    """Serve `answer` on a fresh loopback port until the block ends; yields (address, port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 0))
    sock.settimeout(0.1)
    stop = threading.Event()
    received: list[bytes] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(65535)
            except TimeoutError:
                continue
            received.append(data)
            reply = answer(data)
            if reply is not None:
                sock.sendto(reply, peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()
    finally:
        stop.set()
        thread.join()
        sock.close()
