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

from metrics.types import LinkProbe
from prober.twamp import TwampSender
from prober.types import ProbeRun, ProbeTarget

DEFAULT_PROBES = 5
DEFAULT_SPREAD_S = 2.0  # the probes of a slot leave within its first seconds
DEFAULT_TIMEOUT_S = 1.0  # a probe unanswered this long after it left is lost


@dataclass(frozen=True, slots=True)
class ProbeOptions:
    probes_per_slot: int = DEFAULT_PROBES
    spread_s: float = DEFAULT_SPREAD_S
    timeout_s: float = DEFAULT_TIMEOUT_S


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
    sender = await TwampSender.open()
    try:
        step = options.spread_s / max(1, options.probes_per_slot)
        count = max(1, len(targets))
        results = await asyncio.gather(
            *(
                _probe_target(sender, target, slot, options, started + step * i / count, step)
                for i, target in enumerate(targets)
            )
        )
    finally:
        sender.close()
    answered = [r for r in results if r.rtt_median_ms is not None]
    problems: Counter[str] = Counter()
    for counts in sender.problems.values():
        problems.update(counts)
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
    )
    return list(results), run


async def _probe_target(
    sender: TwampSender,
    target: ProbeTarget,
    slot: datetime,
    options: ProbeOptions,
    first: float,
    step: float,
) -> LinkProbe:
    """This target's probes leave at first, first + step, …: targets are staggered within a
    step so thousands of them do not leave in one burst."""
    address = (target.address, target.port)
    waits = []
    for k in range(options.probes_per_slot):
        delay = first + k * step - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sequence, future = sender.send(address)
        waits.append(_wait(sender, sequence, future, options.timeout_s))
    rtts = await asyncio.gather(*waits)
    return summarise(target, slot, rtts, sender.problems.get(address, Counter()))


async def _wait(
    sender: TwampSender, sequence: int, future: asyncio.Future[float], timeout_s: float
) -> float | None:
    try:
        return await asyncio.wait_for(future, timeout_s)
    except TimeoutError:
        return None
    finally:
        sender.forget(sequence)
