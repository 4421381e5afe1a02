"""The embedded mode (`menhir poll`) after the split into poll + close_slot: one cycle is still
poll, write, detect, maintain; the second has rates from the first."""

from __future__ import annotations

from django.db import connection

from menhir.polling import PollService
from tests.menhir.conftest import Cluster


def test_two_embedded_cycles_poll_everything_and_the_second_has_rates(cluster: Cluster) -> None:
    service = PollService(60)
    try:
        first = service.run_once()
        second = service.run_once()
    finally:
        service.close()
    for summary in (first, second):
        assert (summary.devices, summary.devices_unreachable, summary.errors) == (7, 0, 0)
        assert summary.samples_written == summary.devices + summary.interfaces
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(in_bps) FROM metrics_interface_sample"
            " WHERE device_id = ANY(%s) AND oper_status = 1 AND interval_s IS NOT NULL",
            [cluster.devices()],
        )
        measured, with_rate = cur.fetchone()
    assert measured > 0
    assert with_rate == measured
