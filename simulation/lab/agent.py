"""One simulated device: its state (boot, faults, counters), its MIB view and its SNMP handling.

`DeviceAgent.handle(datagram)` is the whole agent: it takes the request's bytes and returns the
reply's bytes (or None to stay silent), with the delay to apply. No sockets, no Django: the
worker feeds it datagrams, the tests may feed it bytes directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from simulation.lab import ber, fastcodec, fullcodec, v3
from simulation.lab.counters import OctetCounter
from simulation.lab.mib import InterfaceState, MibView, build_view, error_divisor
from simulation.lab.model import LabDevice, LabInterface
from simulation.lab.pdu import Request, Response
from simulation.lab.reflector import Reflector
from simulation.lab.traffic import SATURATION, curve, jitter, profile_for
from simulation.lab.usm import UsmError, UsmUser

MAX_UDP = 65_507
TIME_WINDOW = 150  # seconds, RFC 3414 §3.2.7
USM_STATS = "1.3.6.1.6.3.15.1.1"
UNSUPPORTED_SEC_LEVELS = ber.parse_oid(USM_STATS + ".1.0")
NOT_IN_TIME_WINDOWS = ber.parse_oid(USM_STATS + ".2.0")
UNKNOWN_USER_NAMES = ber.parse_oid(USM_STATS + ".3.0")
UNKNOWN_ENGINE_IDS = ber.parse_oid(USM_STATS + ".4.0")
WRONG_DIGESTS = ber.parse_oid(USM_STATS + ".5.0")
DECRYPTION_ERRORS = ber.parse_oid(USM_STATS + ".6.0")
USM_REPORTS = (
    *(UNSUPPORTED_SEC_LEVELS, NOT_IN_TIME_WINDOWS, UNKNOWN_USER_NAMES),
    *(UNKNOWN_ENGINE_IDS, WRONG_DIGESTS, DECRYPTION_ERRORS),
)


class Codec(Protocol):
    def decode_v2c(self, data: bytes) -> tuple[bytes, Request]: ...
    def encode_v2c(self, community: bytes, response: Response) -> bytes: ...
    def decode_scoped(self, data: bytes) -> tuple[bytes, bytes, Request]: ...
    def encode_scoped(self, engine_id: bytes, name: bytes, response: Response) -> bytes: ...


CODECS: dict[str, Codec] = {"fast": fastcodec, "full": fullcodec}


@dataclass(frozen=True, slots=True)
class Reply:
    data: bytes
    delay: float = 0.0


def engine_id_for(name: str) -> bytes:
    """RFC 3411 format: enterprise 8072 (Net-SNMP), format 5 (octets), 8 bytes from the name."""
    return b"\x80\x00\x1f\x88\x05" + hashlib.blake2s(name.encode(), digest_size=8).digest()


def initial_uptime(name: str) -> float:
    """How long the device has been up when the lab starts: 2 hours to 120 days, per device."""
    return jitter(f"{name}/uptime", 7_200.0, 120 * 86_400.0)


def garble(reply: bytes) -> bytes:
    """A malformed reply: the message's outer length claims more bytes than were sent."""
    if len(reply) < 4:
        return b"\x30\x7f"
    return b"\x30\x84\x7f\xff\xff\xff" + reply[2:]


class DeviceAgent:
    def __init__(
        self,
        device: LabDevice,
        clock: Callable[[], float] = time.time,
        codec: str = "fast",
        max_message_size: int = MAX_UDP,
        max_varbinds: int = 2_000,
    ) -> None:
        self.device = device
        self.clock = clock
        self.codec = CODECS[codec]
        self.max_message_size = max_message_size
        self.max_varbinds = max_varbinds
        now = clock()
        self.boot = now - initial_uptime(device.name)
        self.engine_id = engine_id_for(device.name)
        self.engine_boots = 1
        self.silent = False
        self.agent_silent = False  # SNMP only: the device still answers probes
        self.garbage = False
        self.counter32 = False
        self.slow = 0.0
        self.reflector = Reflector(device.name, device.base_rtt_ms)
        self.down: set[int] = set()
        self.saturated: set[int] = set()
        self.usm_counts = dict.fromkeys(USM_REPORTS, 0)
        self._salt = itertools.count(int.from_bytes(self.engine_id[-4:], "big") << 24)
        credentials = device.credentials
        self.community = credentials.community.encode()
        self.user: UsmUser | None = None
        self.usm_problem = ""
        if credentials.version == "v3":
            try:
                self.user = UsmUser.from_credentials(credentials, self.engine_id)
            except UsmError as error:
                self.usm_problem = str(error)
        self.interfaces = [self._interface_state(spec) for spec in device.interfaces]
        self.by_index = {state.spec.if_index: state for state in self.interfaces}
        self.view = self._build()

    # --- state -----------------------------------------------------------------------------

    def _interface_state(self, spec: LabInterface) -> InterfaceState:
        curve_name, share = profile_for(spec.traffic.category)
        key = f"{self.device.name}/{spec.if_index}"
        factor = share * jitter(key) if spec.enabled else 0.0
        rx = OctetCounter(curve(curve_name), spec.traffic.in_limit_bps / 8 * factor, self.boot)
        tx = OctetCounter(curve(curve_name), spec.traffic.out_limit_bps / 8 * factor, self.boot)
        return InterfaceState(spec, rx, tx, error_divisor(self.device.name, spec.if_index))

    def _build(self) -> MibView:
        return build_view(
            self.device, self.interfaces, self.down, self.counter32, self.uptime_ticks
        )

    def uptime_ticks(self, now: float) -> int:
        return int((now - self.boot) * 100) % (1 << 32)

    def engine_time(self, now: float) -> int:
        return int(now - self.boot)

    def _pin_rates(self, now: float) -> None:
        for state in self.interfaces:
            idx = state.spec.if_index
            for counter, limit in (
                (state.rx, state.spec.traffic.in_limit_bps),
                (state.tx, state.spec.traffic.out_limit_bps),
            ):
                if idx in self.down or not state.spec.enabled:
                    rate: float | None = 0.0
                elif idx in self.saturated:
                    rate = limit / 8 * SATURATION
                else:
                    rate = None
                if rate != counter.override:
                    counter.pin(now, rate)

    def set_ports(self, now: float, down: set[int], saturated: set[int]) -> None:
        """Which interfaces are down and which saturated, from `now` on."""
        known = set(self.by_index)
        down, saturated = down & known, saturated & known
        for idx in down ^ self.down:
            self.by_index[idx].last_change = self.uptime_ticks(now)
        self.down, self.saturated = down, saturated
        self._pin_rates(now)
        self.view = self._build()

    def set_counter32(self, on: bool) -> None:
        self.counter32 = on
        self.view = self._build()

    def reboot(self, now: float) -> None:
        """sysUpTime and every counter start again from zero; the SNMP engine boots once more."""
        self.boot = now
        self.engine_boots += 1
        for state in self.interfaces:
            state.rx.reset(now)
            state.tx.reset(now)
            state.last_change = 0
        self._pin_rates(now)
        self.view = self._build()

    def clear(self, now: float) -> None:
        self.silent = self.agent_silent = self.garbage = False
        self.slow = 0.0
        self.counter32 = False
        self.reflector.clear()
        self.set_ports(now, set(), set())

    def faults(self) -> list[str]:
        active = [
            name
            for name, on in (
                ("silent", self.silent),
                ("agent-silent", self.agent_silent),
                ("garbage", self.garbage),
                ("counter32", self.counter32),
                ("slow", self.slow > 0),
                ("iface-down", bool(self.down)),
                ("saturate", bool(self.saturated)),
            )
            if on
        ]
        return active + self.reflector.faults()

    # --- SNMP ------------------------------------------------------------------------------

    def handle(self, data: bytes) -> Reply | None:
        if self.silent or self.agent_silent:
            return None
        now = self.clock()
        try:
            start, end = ber.expect(data, 0, len(data), ber.SEQUENCE)
            version, _ = ber.read_int(data, start, end)
        except ber.DecodeError:
            version = 1  # not the BER the fast path reads: let the full path judge it
        if version == 1 and self.device.credentials.version == "v2c":
            reply = self._v2c(data, now)
        elif version == 3 and self.device.credentials.version == "v3":
            reply = self._v3(data, now)
        else:
            return None
        if reply is None:
            return None
        return Reply(garble(reply) if self.garbage else reply, self.slow)

    def _decode(self, method: str, data: bytes) -> Any:
        try:
            return getattr(self.codec, method)(data)
        except ber.DecodeError:
            if self.codec is fullcodec:
                raise
            return getattr(fullcodec, method)(data)  # what the fast path refuses

    def _v2c(self, data: bytes, now: float) -> bytes | None:
        try:
            community, request = self._decode("decode_v2c", data)
        except ber.DecodeError:
            return None
        if community != self.community:
            return None
        budget = self.max_message_size - len(community) - 32
        response = self.view.answer(request, now, budget, self.max_varbinds)
        return self.codec.encode_v2c(community, response)

    def _v3(self, data: bytes, now: float) -> bytes | None:
        try:
            msg = v3.parse(data)
        except ber.DecodeError:
            return None
        reportable = bool(msg.flags & v3.FLAG_REPORTABLE)
        user = self.user
        if msg.engine_id != self.engine_id:
            return self._report(msg, UNKNOWN_ENGINE_IDS, now) if reportable else None
        if user is None:
            return self._report(msg, UNSUPPORTED_SEC_LEVELS, now) if reportable else None
        if msg.user != user.name:
            return self._report(msg, UNKNOWN_USER_NAMES, now) if reportable else None
        wants_auth, wants_priv = bool(msg.flags & v3.FLAG_AUTH), bool(msg.flags & v3.FLAG_PRIV)
        if (wants_auth, wants_priv) != (user.auth, user.priv):
            return self._report(msg, UNSUPPORTED_SEC_LEVELS, now) if reportable else None
        if user.auth:
            size = len(msg.auth_params)
            zeroed = data[: msg.auth_offset] + bytes(size) + data[msg.auth_offset + size :]
            if size != user.digest_size or user.digest(zeroed) != msg.auth_params:
                return self._report(msg, WRONG_DIGESTS, now) if reportable else None
            if (
                msg.boots != self.engine_boots
                or abs(msg.time - self.engine_time(now)) > TIME_WINDOW
            ):
                return self._report(msg, NOT_IN_TIME_WINDOWS, now, authenticated=True)
        scoped = msg.data
        if user.priv:
            try:
                scoped = user.decrypt(msg.data, msg.boots, msg.time, msg.priv_params)
            except (UsmError, ValueError):
                return self._report(msg, DECRYPTION_ERRORS, now) if reportable else None
        try:
            _, context, request = self._decode("decode_scoped", scoped)
        except ber.DecodeError:
            if user.priv:
                return self._report(msg, DECRYPTION_ERRORS, now) if reportable else None
            return None
        overhead = 96 + len(msg.user) + len(self.engine_id) * 2 + user.digest_size + len(context)
        budget = min(msg.max_size, self.max_message_size) - overhead
        response = self.view.answer(request, now, budget, self.max_varbinds)
        return self._wrap(msg, self.codec.encode_scoped(self.engine_id, context, response), now)

    def _report(
        self, msg: v3.V3Message, oid: bytes, now: float, authenticated: bool = False
    ) -> bytes:
        self.usm_counts[oid] += 1
        request_id = 0
        if not msg.flags & v3.FLAG_PRIV:
            with contextlib.suppress(ber.DecodeError):
                request_id = fastcodec.decode_scoped(msg.data)[2].request_id
        value = self.usm_counts[oid]
        varbind = ber.tlv(
            ber.SEQUENCE,
            ber.tlv(ber.OBJECT_IDENTIFIER, oid) + ber.encode_value(ber.COUNTER32, value),
        )
        report = Response(request_id, varbinds=[(oid, ber.COUNTER32, value, varbind)])
        report.pdu_type = ber.REPORT
        scoped = self.codec.encode_scoped(self.engine_id, b"", report)
        return self._wrap(msg, scoped, now, auth=authenticated, priv=False)

    def _wrap(
        self,
        msg: v3.V3Message,
        scoped: bytes,
        now: float,
        auth: bool | None = None,
        priv: bool | None = None,
    ) -> bytes:
        user = self.user
        auth = bool(user and user.auth) if auth is None else auth
        priv = bool(user and user.priv) if priv is None else priv
        boots, etime = self.engine_boots, self.engine_time(now)
        salt = b""
        if priv and user is not None:
            salt = (next(self._salt) % (1 << 64)).to_bytes(8, "big")
            scoped = user.encrypt(scoped, boots, etime, salt)
        flags = (v3.FLAG_AUTH if auth else 0) | (v3.FLAG_PRIV if priv else 0)
        digest_size = user.digest_size if auth and user is not None else 0
        whole, offset = v3.build(
            msg.msg_id,
            self.max_message_size,
            flags,
            self.engine_id,
            boots,
            etime,
            msg.user,
            digest_size,
            salt,
            scoped,
        )
        if digest_size and user is not None:
            whole = whole[:offset] + user.digest(whole) + whole[offset + digest_size :]
        return whole
