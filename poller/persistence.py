"""Counter state in the database, for workers that do not keep a shard from one cycle to the next.

`load_state` reads the devices' previous samples through the ORM; `save_state` writes them back
on a psycopg cursor — the metrics writer's, inside the transaction that stores the samples
computed from them, so either both are committed or neither (a redelivered shard then starts
again from the same previous sample).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from poller.models import CounterState
from poller.state import PollState, device_state_from_json, device_state_to_json

log = logging.getLogger(__name__)

UPSERT_STATE = """
INSERT INTO poller_counter_state (device_id, state, updated) VALUES (%s, %s, now())
ON CONFLICT (device_id) DO UPDATE SET state = EXCLUDED.state, updated = EXCLUDED.updated
"""


def load_state(device_ids: Iterable[int]) -> PollState:
    """The previous samples of these devices; a damaged record is dropped (that device's next
    interval is unknown, never wrong)."""
    state = PollState()
    for device_id, data in CounterState.objects.filter(device_id__in=list(device_ids)).values_list(
        "device_id", "state"
    ):
        try:
            state.devices[device_id] = device_state_from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("counter state of device %s damaged, starting afresh: %s", device_id, exc)
    return state


def save_state(cur: psycopg.Cursor[Any], state: PollState, device_ids: Iterable[int]) -> None:
    """Upsert these devices' state on the caller's cursor (and transaction)."""
    rows = [
        (device_id, Jsonb(device_state_to_json(state.devices[device_id])))
        for device_id in device_ids
        if device_id in state.devices
    ]
    if rows:
        cur.executemany(UPSERT_STATE, rows)


def save_state_orm(state: PollState, device_ids: Iterable[int]) -> None:
    """The same through the ORM, for when the samples went to the spool instead."""
    from django.utils import timezone

    now = timezone.now()
    CounterState.objects.bulk_create(
        [
            CounterState(device_id=d, state=device_state_to_json(state.devices[d]), updated=now)
            for d in device_ids
            if d in state.devices
        ],
        update_conflicts=True,
        unique_fields=["device_id"],
        update_fields=["state", "updated"],
    )
