"""One slot of probing from the inventory to the metrics store (what `menhir probe` runs)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from django.conf import settings

from metrics.maintenance import writer_from_settings
from metrics.types import LinkProbe
from prober.runner import ProbeOptions, probe_slot
from prober.targets import load_targets
from prober.types import ProbeRun


def slot_start(now: datetime, interval_s: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % interval_s, UTC)


def options_from_settings() -> ProbeOptions:
    return ProbeOptions(probes_per_slot=int(settings.MENHIR_PROBES_PER_SLOT))


def run_once(
    *, store: bool = True, now: datetime | None = None
) -> tuple[ProbeRun, list[LinkProbe]]:
    """Probe every access link once for the current slot; store the results unless told not to."""
    load = load_targets()
    slot = slot_start(now or datetime.now(UTC), int(settings.MENHIR_POLL_INTERVAL))
    results, run = asyncio.run(probe_slot(load.targets, slot, options_from_settings()))
    if store and results:
        with writer_from_settings() as writer:
            writer.write(probes=results)
    return run, results
