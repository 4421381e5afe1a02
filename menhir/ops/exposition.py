"""The /metrics document (Prometheus text format), gathered at scrape time from the database,
the spool folder and the broker: nothing is kept in the web process, so any gunicorn worker
answers the same and a restart loses nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)
# Cycle duration buckets (seconds): a cycle should fit its 60 s interval.
DURATION_BUCKETS = (1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 300)


def _shard_gauges(specs: dict[str, tuple[str, str]]) -> dict[str, GaugeMetricFamily]:
    return {
        key: GaugeMetricFamily(name, text, labels=["shard"]) for key, (name, text) in specs.items()
    }


def _cycle_metrics() -> Iterator[Metric]:
    """From the store's one row per slot (metrics.cycles: `menhir poll` and the distributed
    mode alike), kept 30 days."""
    from django.db.models import Count, Q, Sum

    from metrics.models import PollCycle

    rows = PollCycle.objects.all()
    per_bucket = {
        f"le_{i}": Count("time", filter=Q(duration_s__lte=bound))
        for i, bound in enumerate(DURATION_BUCKETS)
    }
    agg = rows.aggregate(
        n=Count("time"),
        total=Sum("duration_s"),
        timeouts=Sum("timeouts"),
        spooled=Count("time", filter=Q(spooled=True)),
        **per_bucket,
    )
    histogram = HistogramMetricFamily(
        "menhir_poll_cycle_duration_seconds",
        "Duration of the poll cycles recorded in the database (last 30 days).",
    )
    buckets = [(str(float(b)), float(agg[f"le_{i}"])) for i, b in enumerate(DURATION_BUCKETS)]
    histogram.add_metric([], [*buckets, ("+Inf", float(agg["n"]))], agg["total"] or 0.0)
    yield histogram
    yield GaugeMetricFamily("menhir_poll_cycles", "Poll cycles recorded (last 30 days).", agg["n"])
    yield GaugeMetricFamily(
        "menhir_poll_device_timeouts",
        "Device polls that got no answer, summed over the recorded cycles.",
        agg["timeouts"] or 0,
    )
    yield GaugeMetricFamily(
        "menhir_poll_cycles_spooled",
        "Recorded cycles whose samples went to the spool (database away).",
        agg["spooled"],
    )
    latest = rows.order_by("-time").first()
    if latest is None:
        return
    last = {
        "menhir_poll_last_cycle_duration_seconds": ("The last cycle's length.", latest.duration_s),
        "menhir_poll_last_cycle_devices": ("Devices polled in the last cycle.", latest.devices),
        "menhir_poll_last_cycle_timeouts": (
            "Devices that did not answer in the last cycle.", latest.unreachable,
        ),
        "menhir_poll_last_cycle_errors": ("Devices whose poll failed in the last cycle.",
                                          latest.errors),
        "menhir_poll_last_cycle_samples": ("Samples written by the last cycle.", latest.samples),
        "menhir_poll_last_cycle_timestamp_seconds": (
            "When the last cycle finished (Unix time).",
            latest.time.timestamp() + latest.duration_s,
        ),
    }  # fmt: skip
    for name, (help_text, value) in last.items():
        yield GaugeMetricFamily(name, help_text, float(value))


def _incident_metrics() -> Iterator[Metric]:
    from alerting.models import Incident

    family = GaugeMetricFamily("menhir_incidents_open", "Incidents not yet closed.")
    family.add_metric([], Incident.objects.filter(end__isnull=True).count())
    yield family


def _spool_metrics() -> Iterator[Metric]:
    from menhir.ops.spool_depth import spool_depth

    pending, rejected = spool_depth()
    yield GaugeMetricFamily(
        "menhir_spool_batches", "Metrics batches waiting in the spool for the database.", pending
    )
    yield GaugeMetricFamily(
        "menhir_spool_rejected_batches", "Spooled batches the database rejected.", rejected
    )


def _queue_metrics() -> Iterator[Metric]:
    from django.conf import settings

    from menhir.ops.queues import BrokerDown, queue_depths

    up = GaugeMetricFamily("menhir_broker_up", "1 when the Celery broker answered this scrape.")
    messages = GaugeMetricFamily(
        "menhir_queue_messages", "Messages waiting in a broker queue.", labels=["queue"]
    )
    consumers = GaugeMetricFamily(
        "menhir_queue_consumers", "Workers consuming a broker queue.", labels=["queue"]
    )
    try:
        depths = queue_depths(settings.CELERY_BROKER_URL, settings.MENHIR_METRICS_QUEUES)
    except BrokerDown as exc:
        log.warning("/metrics: broker unreachable: %s", exc)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    for depth in depths:
        if depth.messages is not None:
            messages.add_metric([depth.name], depth.messages)
            consumers.add_metric([depth.name], depth.consumers or 0)
    yield up
    yield messages
    yield consumers


class MenhirCollector(Collector):
    """Everything /metrics shows; a part whose source is down is left out, and said so by
    `menhir_database_up` / `menhir_broker_up`."""

    def collect(self) -> Iterator[Metric]:
        from django.db import DatabaseError

        db_up = GaugeMetricFamily("menhir_database_up", "1 when the database answered.")
        try:
            database = [*_cycle_metrics(), *_incident_metrics()]
            db_up.add_metric([], 1)
        except DatabaseError as exc:
            log.warning("/metrics: database unreachable: %s", exc)
            database = []
            db_up.add_metric([], 0)
        yield db_up
        yield from database
        yield from _spool_metrics()
        yield from _queue_metrics()


def render() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(MenhirCollector())
    return generate_latest(registry)


def content_type() -> str:
    """Text format 0.0.4: what generate_latest writes and every Prometheus version reads."""
    return "text/plain; version=0.0.4; charset=utf-8"


__all__: list[Any] = ["content_type", "render"]
