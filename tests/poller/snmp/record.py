"""Record raw replies of real agents for the decoder tests: `python -m tests.poller.snmp.record`.

Writes tests/poller/data/replies.json: snmpd on loopback (every value type, the three exceptions,
a walk of its whole MIB) and, when given `--snmpsim HOST:PORT`, recordings of real devices.
"""

from __future__ import annotations

import argparse
import json
import socket
from pathlib import Path

from poller.snmp.ber import (
    GET_BULK_REQUEST,
    GET_REQUEST,
    decode_response,
    encode_request,
)
from poller.snmp.oids import Oid, oid
from tests.poller.snmpd import COMMUNITY, Snmpd

OUT = Path(__file__).resolve().parent.parent / "data" / "replies.json"


def _ask(sock: socket.socket, address: tuple[str, int], message: bytes) -> bytes:
    sock.sendto(message, address)
    data, _ = sock.recvfrom(65535)
    return data


def record(address: tuple[str, int], community: str, label: str, rounds: int) -> list[dict]:
    out: list[dict] = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(3)
    c = community.encode()
    requests: list[tuple[str, bytes]] = [
        ("get-system", encode_request(GET_REQUEST, c, 11, [oid("1.3.6.1.2.1.1.1.0"),
            oid("1.3.6.1.2.1.1.2.0"), oid("1.3.6.1.2.1.1.3.0"), oid("1.3.6.1.2.1.1.5.0")])),
        ("get-missing", encode_request(GET_REQUEST, c, 12, [oid("1.3.6.1.2.1.1.3.1"),
            oid("1.3.6.1.2.1.9999.1.0"), oid("1.3.6.1.2.1.1.3.0")])),
        ("bulk-end-of-mib", encode_request(GET_BULK_REQUEST, c, 13, [oid("1.3.6.1.6.3.99")],
            max_repetitions=5)),
        ("bulk-interfaces", encode_request(GET_BULK_REQUEST, c, 14, [oid("1.3.6.1.2.1.1.3"),
            oid("1.3.6.1.2.1.31.1.1.1.6"), oid("1.3.6.1.2.1.31.1.1.1.10"),
            oid("1.3.6.1.2.1.2.2.1.10"), oid("1.3.6.1.2.1.2.2.1.16"),
            oid("1.3.6.1.2.1.2.2.1.8"), oid("1.3.6.1.2.1.31.1.1.1.15"),
            oid("1.3.6.1.2.1.2.2.1.5")], non_repeaters=1, max_repetitions=8)),
    ]  # fmt: skip
    for name, message in requests:
        out.append({"agent": label, "request": name, "hex": _ask(sock, address, message).hex()})
    cursor: Oid = (1, 0)
    for n in range(rounds):  # walk the whole MIB: every type the agent has
        message = encode_request(GET_BULK_REQUEST, c, 100 + n, [cursor], max_repetitions=40)
        data = _ask(sock, address, message)
        out.append({"agent": label, "request": f"walk-{n}", "hex": data.hex()})
        varbinds = decode_response(data).varbinds
        if not varbinds or varbinds[-1][1] == 0x82:
            break
        cursor = varbinds[-1][0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snmpsim", action="append", default=[], help="HOST:PORT:COMMUNITY")
    args = parser.parse_args()
    agent = Snmpd(["127.0.0.77"], 26199).start()
    try:
        replies = record(("127.0.0.77", 26199), COMMUNITY, "net-snmp", rounds=60)
    finally:
        agent.stop()
    for spec in args.snmpsim:
        host, port, community = spec.split(":", 2)
        replies += record((host, int(port)), community, f"snmpsim:{community}", rounds=30)
    OUT.write_text(json.dumps(replies, indent=1) + "\n")
    print(f"{len(replies)} replies written to {OUT}")


if __name__ == "__main__":
    main()
