"""A userspace ICMP echo responder, run inside a test's network namespace (`python FILE …`).

The namespace's kernel answers no echo (`net.ipv4.icmp_echo_ignore_all=1`); this process does,
through a raw socket, after `--delay-ms`, and drops a request when a draw of
`random.Random(--seed)` (one per request received, in order) falls under `--loss-pct`.
`--mode silent` answers nothing; `--mode noisy` also sends, before each true reply, 4 octets, a
reply cut short, one with a bad checksum, one with another identifier and one with another payload.
Prints `ready` once listening. Run from the repository's root with `python -m`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import struct
import sys

from prober.icmp import checksum


def echo_reply(ident: int, sequence: int, payload: bytes, bad_checksum: bool = False) -> bytes:
    header = struct.pack("!BBHHH", 0, 0, 0, ident, sequence)
    value = checksum(header + payload) ^ (0x5A5A if bad_checksum else 0)
    return struct.pack("!BBHHH", 0, 0, value, ident, sequence) + payload


def noise(ident: int, sequence: int, payload: bytes) -> list[bytes]:
    """What a broken or foreign peer sends: none of it must resolve a probe."""
    other_payload = bytes(b ^ 0xFF for b in payload)
    return [
        b"\x00\x00\x00\x00",  # 4 octets: ICMP_FILTER drops it in the prober's kernel
        echo_reply(ident, sequence, payload[:10]),  # the payload cut short
        echo_reply(ident, sequence, payload, bad_checksum=True),
        echo_reply(ident ^ 0x8000, sequence, payload),  # someone else's ping, far from ours
        echo_reply(ident, sequence, other_payload),
    ]


async def serve(delay_s: float, loss_pct: float, seed: int, mode: str) -> None:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setblocking(False)
    draws = random.Random(seed)
    print("ready", flush=True)

    def readable() -> None:
        while True:
            try:
                data, addr = sock.recvfrom(4096)
            except BlockingIOError:
                return
            icmp = data[(data[0] & 0x0F) * 4 :]
            if len(icmp) < 8 or icmp[0] != 8:  # echo requests only
                continue
            _, _, _, ident, sequence = struct.unpack_from("!BBHHH", icmp)
            payload = icmp[8:]
            if mode == "silent" or draws.random() * 100 < loss_pct:
                continue
            replies = noise(ident, sequence, payload) if mode == "noisy" else []
            replies.append(echo_reply(ident, sequence, payload))
            loop.call_later(delay_s, send, replies, addr[0])

    def send(replies: list[bytes], address: str) -> None:
        for reply in replies:
            sock.sendto(reply, (address, 0))

    loop.add_reader(sock.fileno(), readable)
    await asyncio.Event().wait()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--loss-pct", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mode", choices=("normal", "silent", "noisy"), default="normal")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.delay_ms / 1000, args.loss_pct, args.seed, args.mode))


if __name__ == "__main__":
    main(sys.argv[1:])
