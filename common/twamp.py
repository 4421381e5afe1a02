"""TWAMP-Light test packets (RFC 5357 §4.1.2 and §4.2.1, unauthenticated mode), in one place.

The lab's reflector and the prober's sender share this wire format so that both sides cannot
drift apart; tests also check it against byte layouts written by hand from the RFC.

Timestamps are NTP format (RFC 5357 §4.1.2 → RFC 4656 §4.1.2): 32-bit seconds since
1900-01-01 and a 32-bit binary fraction.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

NTP_EPOCH_OFFSET = 2_208_988_800  # seconds from 1900-01-01 to 1970-01-01
DEFAULT_PORT = 862  # IANA's TWAMP port; TWAMP-Light reflectors usually listen there
SENDER_HEADER = struct.Struct("!IQH")  # sequence, timestamp, error estimate: 14 octets
REFLECTOR_HEADER = struct.Struct("!IQHHQIQHHB")  # 41 octets
REFLECTOR_SIZE = REFLECTOR_HEADER.size
# The sender pads its packet to the reflector's size so both directions carry the same number of
# octets (RFC 5357 §4.1.2 recommends symmetric sizes; the reflector drops 27 octets of padding).
SENDER_PADDING = REFLECTOR_SIZE - SENDER_HEADER.size
# Error estimate (RFC 4656 §4.1.2): S=0 (not known to be synchronised to UTC), Z=0 (NTP format),
# scale 22, multiplier 1: 2^(22-32) s ≈ 1 ms, an honest bound for a software timestamp.
ERROR_ESTIMATE = (22 << 8) | 1


class TwampFormatError(ValueError):
    """A datagram that is not a TWAMP-Light packet of the expected kind."""


def to_ntp(unix_seconds: float) -> int:
    """A Unix time as a 64-bit NTP timestamp."""
    seconds = int(unix_seconds)
    fraction = int((unix_seconds - seconds) * (1 << 32)) & 0xFFFF_FFFF
    return ((seconds + NTP_EPOCH_OFFSET) & 0xFFFF_FFFF) << 32 | fraction


def from_ntp(timestamp: int) -> float:
    """A 64-bit NTP timestamp as a Unix time (era 0, i.e. until 2036)."""
    return (timestamp >> 32) - NTP_EPOCH_OFFSET + (timestamp & 0xFFFF_FFFF) / (1 << 32)


@dataclass(frozen=True, slots=True)
class SenderPacket:
    sequence: int
    timestamp: int  # NTP
    error_estimate: int = ERROR_ESTIMATE
    padding: int = SENDER_PADDING


@dataclass(frozen=True, slots=True)
class ReflectedPacket:
    sequence: int  # the reflector's own counter
    timestamp: int  # NTP, when the reflector sent it (T3)
    error_estimate: int
    receive_timestamp: int  # NTP, when the reflector received the test packet (T2)
    sender_sequence: int
    sender_timestamp: int  # T1, copied
    sender_error_estimate: int
    sender_ttl: int
    padding: int = 0


def encode_sender(packet: SenderPacket) -> bytes:
    head = SENDER_HEADER.pack(packet.sequence, packet.timestamp, packet.error_estimate)
    return head + bytes(packet.padding)


def decode_sender(data: bytes) -> SenderPacket:
    if len(data) < SENDER_HEADER.size:
        raise TwampFormatError(f"short test packet: {len(data)} octets, at least 14 expected")
    sequence, timestamp, error = SENDER_HEADER.unpack_from(data)
    return SenderPacket(sequence, timestamp, error, len(data) - SENDER_HEADER.size)


def encode_reflected(packet: ReflectedPacket) -> bytes:
    head = REFLECTOR_HEADER.pack(
        packet.sequence,
        packet.timestamp,
        packet.error_estimate,
        0,  # MBZ
        packet.receive_timestamp,
        packet.sender_sequence,
        packet.sender_timestamp,
        packet.sender_error_estimate,
        0,  # MBZ
        packet.sender_ttl,
    )
    return head + bytes(packet.padding)


def decode_reflected(data: bytes) -> ReflectedPacket:
    if len(data) < REFLECTOR_SIZE:
        raise TwampFormatError(
            f"short reflected packet: {len(data)} octets, at least {REFLECTOR_SIZE} expected"
        )
    seq, ts, err, _, rx, s_seq, s_ts, s_err, _, ttl = REFLECTOR_HEADER.unpack_from(data)
    return ReflectedPacket(seq, ts, err, rx, s_seq, s_ts, s_err, ttl, len(data) - REFLECTOR_SIZE)


def reflect(
    request: SenderPacket, sequence: int, received: float, sent: float, ttl: int
) -> ReflectedPacket:
    """The reflector's answer to `request`, received at `received` and leaving at `sent`."""
    return ReflectedPacket(
        sequence=sequence & 0xFFFF_FFFF,
        timestamp=to_ntp(sent),
        error_estimate=ERROR_ESTIMATE,
        receive_timestamp=to_ntp(received),
        sender_sequence=request.sequence,
        sender_timestamp=request.timestamp,
        sender_error_estimate=request.error_estimate,
        sender_ttl=ttl & 0xFF,
        padding=max(0, request.padding - SENDER_PADDING),
    )
