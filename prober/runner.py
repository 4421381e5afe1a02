"""One slot of probing: every target gets `probes_per_slot` probes spread over the slot's first
seconds, each with its own deadline; the answers become one `LinkProbe` per link.

Pure asyncio and plain values (no Django): the CLI and the tests hand it targets.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Protocol

from metrics.types import LinkProbe
from prober.icmp import IcmpSender
from prober.twamp import TwampSender
from prober.types import Method, ProbeRun, ProbeTarget

DEFAULT_PROBES = 5
DEFAULT_SPREAD_S = 2.0  # the probes of a slot leave within its first seconds
DEFAULT_TIMEOUT_S = 1.0  # a probe unanswered this long after it left is lost


@dataclass(frozen=True, slots=True)
class ProbeOptions:
    probes_per_slot: int = DEFAULT_PROBES
    spread_s: float = DEFAULT_SPREAD_S
    timeout_s: float = DEFAULT_TIMEOUT_S
    icmp_privileged: bool = True  # False: ICMP datagram sockets even as root


class Sender(Protocol):
    """What the runner needs of a method's sender (prober.twamp, prober.icmp)."""

    problems: dict[tuple[str, int], Counter[str]]

    def send(self, address: tuple[str, int]) -> tuple[int, asyncio.Future[float | None]]: ...
    def forget(self, sequence: int) -> None: ...
    def close(self) -> None: ...


async def open_senders(methods: set[Method], options: ProbeOptions) -> dict[Method, Sender]:
    """One socket per method the run needs, whatever the number of targets."""
    senders: dict[Method, Sender] = {}
    if Method.TWAMP in methods:
        senders[Method.TWAMP] = await TwampSender.open()
    if Method.ICMP in methods:
        senders[Method.ICMP] = await IcmpSender.open(privileged=options.icmp_privileged)
    return senders


def summarise(
    target: ProbeTarget, slot: datetime, rtts: Sequence[float | None], problems: Counter[str]
) -> LinkProbe:
    """A link's slot from its probes' RTTs (seconds, None = lost), in the order they left.

    Jitter is the mean absolute difference between consecutive answered probes' RTTs (the
    IP packet delay variation of RFC 3393, averaged): 0 for a steady link, None under two answers.
    """
    answered = [r * 1000 for r in rtts if r is not None]
    lost = len(rtts) - len(answered)
    jitter = None
    if len(answered) >= 2:
        jitter = statistics.fmean(abs(b - a) for a, b in pairwise(answered))
    error = None
    if lost:
        reasons = dict(problems)
        reasons.setdefault("no reply", max(0, lost - sum(reasons.values())))
        error = "; ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()) if count)
    return LinkProbe(
        time=slot,
        link_id=target.link_id,
        device_id=target.device_id,
        method=target.method.value,
        sent=len(rtts),
        lost=lost,
        rtt_min_ms=round(min(answered), 3) if answered else None,
        rtt_median_ms=round(statistics.median(answered), 3) if answered else None,
        rtt_max_ms=round(max(answered), 3) if answered else None,
        jitter_ms=round(jitter, 3) if jitter is not None else None,
        error=error,
    )


async def probe_slot(
    targets: Sequence[ProbeTarget], slot: datetime, options: ProbeOptions | None = None
) -> tuple[list[LinkProbe], ProbeRun]:
    """Probe every target once per `probes_per_slot` step; one result per target, in order."""
    options = options or ProbeOptions()
    started = time.monotonic()
    senders = await open_senders({t.method for t in targets}, options)
    try:
        step = options.spread_s / max(1, options.probes_per_slot)
        count = max(1, len(targets))
        results = await asyncio.gather(
            *(
                _probe_target(
                    senders[target.method], target, slot, options, started + step * i / count, step
                )
                for i, target in enumerate(targets)
            )
        )
    finally:
        for sender in senders.values():
            sender.close()
    answered = [r for r in results if r.rtt_median_ms is not None]
    problems: Counter[str] = Counter()
    for sender in senders.values():
        for counts in sender.problems.values():
            problems.update(counts)
    icmp = senders.get(Method.ICMP)
    run = ProbeRun(
        targets=len(targets),
        sent=sum(r.sent for r in results),
        answered=sum(r.sent - r.lost for r in results),
        duration_s=round(time.monotonic() - started, 3),
        rtt_ms_median=(
            round(statistics.median(r.rtt_median_ms for r in answered if r.rtt_median_ms), 3)
            if answered
            else None
        ),
        problems=dict(problems),
        icmp_socket=icmp.mode if isinstance(icmp, IcmpSender) else None,
    )
    return list(results), run


async def _probe_target(
    sender: Sender,
    target: ProbeTarget,
    slot: datetime,
    options: ProbeOptions,
    first: float,
    step: float,
) -> LinkProbe:
    """This target's probes leave at first, first + step, …: targets are staggered within a
    step so thousands of them do not leave in one burst."""
    address = target.endpoint
    loop = asyncio.get_running_loop()
    futures = []
    for k in range(options.probes_per_slot):
        delay = first + k * step - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sequence, future = sender.send(address)
        loop.call_later(options.timeout_s, _expire, sender, sequence, future)
        futures.append(future)
    rtts = await asyncio.gather(*futures)
    return summarise(target, slot, rtts, sender.problems.get(address, Counter()))


def _expire(sender: Sender, sequence: int, future: asyncio.Future[float | None]) -> None:
    """The probe's deadline, `timeout_s` after it left: lost unless answered by now. A timer
    rather than a task per probe: 10,500 probes a slot."""
    if not future.done():
        future.set_result(None)
    sender.forget(sequence)
