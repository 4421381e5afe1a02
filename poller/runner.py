"""`poll_many`: poll targets concurrently and turn replies into samples and status events.

Each target yields an Outcome; a dead or broken device fails alone, never the batch. Rates and
events are computed against the previous cycle's `PollState`, which the caller keeps.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable
from datetime import UTC, datetime

from metrics.types import DeviceSample, InterfaceSample, OperStatus, StatusEvent
from metrics.verdict import oper_status
from poller.collectors.interfaces import InterfacePoll, InterfaceRow, collect_interfaces
from poller.counters import CounterReading, event_delta, octet_rate_bps, rebooted
from poller.snmp.client import SnmpClient
from poller.snmp.errors import SnmpError
from poller.state import DeviceState, PollState
from poller.types import InterfaceRef, Outcome, Target

DEFAULT_CONCURRENCY = 32


class NonLoopbackTarget(ValueError):
    """A target outside 127.0.0.0/8 (or ::1) while non-loopback polling is not allowed."""


def check_addresses(targets: Iterable[Target], *, allow_non_loopback: bool) -> None:
    """Refuse, before anything is sent, targets that are not loopback IP addresses."""
    refused = []
    for target in targets:
        try:
            address = ipaddress.ip_address(target.address)
        except ValueError:
            raise NonLoopbackTarget(
                f"{target.name}: {target.address!r} is not an IP address"
            ) from None
        if not allow_non_loopback and not address.is_loopback:
            refused.append(f"{target.name} ({target.address})")
    if refused:
        raise NonLoopbackTarget(
            "refusing to poll non-loopback targets (allow_non_loopback is off): "
            + ", ".join(refused[:10])
            + (f" and {len(refused) - 10} more" if len(refused) > 10 else "")
        )


async def poll_many(
    targets: Iterable[Target],
    state: PollState,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    allow_non_loopback: bool = False,
    client: SnmpClient | None = None,
) -> list[Outcome]:
    """Poll every target with at most `concurrency` devices in flight; one Outcome each."""
    targets = list(targets)
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    check_addresses(targets, allow_non_loopback=allow_non_loopback)
    own_client = client is None
    snmp = client or SnmpClient()
    gate = asyncio.Semaphore(concurrency)

    async def one(target: Target) -> Outcome:
        async with gate:
            return await poll_one(snmp, target, state)

    try:
        return list(await asyncio.gather(*(one(t) for t in targets)))
    finally:
        if own_client:
            snmp.close()


async def poll_one(client: SnmpClient, target: Target, state: PollState) -> Outcome:
    """Poll one target; any failure becomes a failed Outcome carrying its error."""
    device = state.device(target.device_id)
    try:
        session = await client.session(target)
        poll = await collect_interfaces(session, target, high_capacity=device.high_capacity)
    except SnmpError as exc:
        return _failed(target, device, str(exc))
    except Exception as exc:  # a bug or an agent quirk must not cancel the batch
        return _failed(target, device, f"{type(exc).__name__}: {exc}")
    return _succeeded(target, device, poll)


def _failed(target: Target, device: DeviceState, error: str) -> Outcome:
    now = datetime.now(UTC)
    events: tuple[StatusEvent, ...] = ()
    if device.reachable is not False:
        events = (StatusEvent(now, target.device_id, None, "device_unreachable", error),)
    device.reachable = False
    sample = DeviceSample(now, target.device_id, False, None, None, error)
    return Outcome(target, False, sample, (), events, error)


def _succeeded(target: Target, device: DeviceState, poll: InterfacePoll) -> Outcome:
    now = poll.received
    events: list[StatusEvent] = []
    if device.reachable is False:
        events.append(StatusEvent(now, target.device_id, None, "device_reachable"))
    reset = rebooted(device.uptime_ticks, poll.uptime_ticks)
    if reset:
        detail = f"sysUpTime went from {device.uptime_ticks} to {poll.uptime_ticks}"
        events.append(StatusEvent(now, target.device_id, None, "reboot", detail))
    if device.high_capacity != poll.high_capacity:
        device.rows.clear()  # the counters changed width: the next interval starts afresh
    samples = []
    for if_index, ref in sorted(target.interfaces.items()):
        row = poll.rows.get(if_index)
        sample = _interface_sample(target, ref, device.rows.get(if_index), row, now, reset)
        samples.append(sample)
        previous = device.oper.get(if_index)
        current = sample.oper_status
        if (
            previous is not None
            and current != OperStatus.UNKNOWN
            and previous != OperStatus.UNKNOWN
            and current != previous
        ):
            kind = "interface_up" if current == OperStatus.UP else "interface_down"
            events.append(StatusEvent(now, target.device_id, ref.interface_id, kind))
        if current != OperStatus.UNKNOWN:
            device.oper[if_index] = current
    device.reachable = True
    device.uptime_ticks = poll.uptime_ticks
    device.high_capacity = poll.high_capacity
    device.rows = dict(poll.rows)
    uptime_s = poll.uptime_ticks / 100 if poll.uptime_ticks is not None else None
    device_sample = DeviceSample(now, target.device_id, True, uptime_s, poll.rtt_s * 1000, None)
    return Outcome(target, True, device_sample, tuple(samples), tuple(events))


def _interface_sample(
    target: Target,
    ref: InterfaceRef,
    previous: InterfaceRow | None,
    row: InterfaceRow | None,
    now: datetime,
    reset: bool,
) -> InterfaceSample:
    if row is None:  # the agent has no such ifIndex (any more)
        return InterfaceSample(
            now,
            target.device_id,
            ref.interface_id,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            OperStatus.UNKNOWN,
            None,
            ref.speed_bps,
        )
    speed = row.speed_bps or ref.speed_bps
    interval = in_bps = out_bps = None
    in_err = out_err = in_disc = out_disc = None
    if previous is not None:
        interval = (row.received - previous.received).total_seconds()
        in_bps = _rate(previous.in_octets, row.in_octets, previous, row, speed, reset)
        out_bps = _rate(previous.out_octets, row.out_octets, previous, row, speed, reset)
        in_err = event_delta(previous.in_errors, row.in_errors, reset=reset)
        out_err = event_delta(previous.out_errors, row.out_errors, reset=reset)
        in_disc = event_delta(previous.in_discards, row.in_discards, reset=reset)
        out_disc = event_delta(previous.out_discards, row.out_discards, reset=reset)
    admin = None if row.admin_status is None else row.admin_status == 1
    oper = oper_status(row.oper_status)
    return InterfaceSample(
        row.received,
        target.device_id,
        ref.interface_id,
        interval,
        in_bps,
        out_bps,
        in_err,
        out_err,
        in_disc,
        out_disc,
        oper,
        admin,
        speed,
    )


def _rate(
    before: int | None,
    after: int | None,
    previous: InterfaceRow,
    row: InterfaceRow,
    speed: int | None,
    reset: bool,
) -> float | None:
    if before is None or after is None:
        return None
    return octet_rate_bps(
        CounterReading(before, previous.counter_bits, previous.received.timestamp()),
        CounterReading(after, row.counter_bits, row.received.timestamp()),
        speed_bps=speed,
        reset=reset,
    )
