"""Ten times the network (issue 18 §2): the figures of a federation of MENHIR_BENCH_SCALE regions.

`menhir inventory seed --scale N` (default here 10: 20,260 establishments, ~20,900 devices,
~207,000 interfaces) in a throwaway database, then:

- the seeding's wall time;
- every single-element failure's impact (`all_single_failures`) against one traversal per
  element (a sample, extrapolated), and the topology map's payload built afresh;
- with the lab serving every device (worker processes: their CPU is never counted), the full
  embedded cycle (`PollService.run_once`: poll, COPY, detect, correlate, maintain) after a warm-up:
  wall time against the 60 s cycle, process CPU per 1,000 interfaces, and its phases;
- ingest: the last cycle's interface samples through the metrics writer against a bare psycopg
  binary COPY of the same rows into the same table (each at another minute), alternated,
  medians of INGEST_REPEATS;
- correlation of the worst PoP failure (the PoP with the most sites behind it);
- the live status payload (`/dashboards/status/`) for every site, through Django's test client;
- the distributed mode with 1, 2 and 4 `menhir worker`s on RabbitMQ (`bench_distributed`'s
  machinery), from dispatch to the slot's close;
- the monthly SLA evaluation of every subscription (a generated month, as `bench_sla_db`).

Each figure is guarded: one that fails is reported on stderr and the others still run.
Knobs: MENHIR_BENCH_SCALE (default 10; 1 or 2 for a quick check), MENHIR_BENCH_SCALE_CYCLES
(measured cycles, default 1), MENHIR_BENCH_SCALE_WORKERS (default "1,2,4"; empty: no distributed
figures), MENHIR_BENCH_SCALE_SLA (default 1; 0 skips the SLA month), MENHIR_BENCH_SCALE_SNMP_PORT
(the lab's port, default 27550).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.figures import Figure

SCALE = int(os.environ.get("MENHIR_BENCH_SCALE", "10"))
CYCLES = int(os.environ.get("MENHIR_BENCH_SCALE_CYCLES", "1"))
WORKERS = [int(w) for w in os.environ.get("MENHIR_BENCH_SCALE_WORKERS", "1,2,4").split(",") if w]
SLA = os.environ.get("MENHIR_BENCH_SCALE_SLA", "1") != "0"
SNMP_PORT = int(os.environ.get("MENHIR_BENCH_SCALE_SNMP_PORT", "27550"))
GOAL_CYCLE_S = 60.0
SLA_GOAL_S = 30.0  # the reference network's goal (bench_sla_db)
INGEST_REPEATS = 3
FAILURE_SAMPLE = 100  # elements traversed one by one for the reference
STATUS_REQUESTS = 5


def _name(figure: str) -> str:
    return f"scale{SCALE}_{figure}"


def _load() -> str:
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def _note(text: str) -> None:
    print(f"# bench_scale (scale {SCALE}, load {_load()}): {text}", file=sys.stderr, flush=True)


def _guarded(figures: list[Figure], what: str, measure: Callable[[], list[Figure]]) -> None:
    """Run one measurement; a failure is reported and the next measurement still runs."""
    _note(f"{what}…")
    began = time.perf_counter()
    try:
        figures += measure()
    except Exception:
        print(f"# bench_scale: {what} failed:", file=sys.stderr)
        traceback.print_exc()
    _note(f"{what} done in {time.perf_counter() - began:.1f} s")


@contextmanager
def _timed(phases: dict[str, float], name: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        phases[name] += time.perf_counter() - began


def _wrap(owner: Any, attribute: str, phases: dict[str, float], name: str) -> Callable[[], None]:
    """Time every call of owner.attribute into phases[name]; returns the undo."""
    original = getattr(owner, attribute)

    def timed(*args: Any, **kwargs: Any) -> Any:
        with _timed(phases, name):
            return original(*args, **kwargs)

    setattr(owner, attribute, timed)
    return lambda: setattr(owner, attribute, original)


# --- the inventory and the topology -------------------------------------------------------------


def _inventory_figures(timings: dict[str, float]) -> list[Figure]:
    from inventory import models as m

    interfaces = m.Interface.objects.count()
    return [
        Figure(_name("seed_wall"), timings["seed"],
               f"s ({m.Establishment.objects.count()} establishments, "
               f"{m.Device.objects.count()} devices, {interfaces} interfaces, "
               f"{m.Link.objects.count()} links)"),
        Figure(_name("seed_interfaces_per_s"), interfaces / timings["seed"], "interfaces/s"),
    ]  # fmt: skip


def _single_failures() -> list[Figure]:
    from topology.analysis import Network, all_single_failures, impact
    from topology.loader import load_graph

    began = time.perf_counter()
    graph = load_graph()
    load_s = time.perf_counter() - began
    net = Network(graph)
    began = time.perf_counter()
    single = all_single_failures(net)
    fast_s = time.perf_counter() - began
    sample = sorted(single)[:: max(1, len(single) // FAILURE_SAMPLE)]
    began = time.perf_counter()
    for element in sample:
        if element.startswith("link:"):
            impact(net, failed_edges=[element])
        else:
            impact(net, failed_nodes=[element])
    brute_s = (time.perf_counter() - began) * len(single) / len(sample)
    return [
        Figure(_name("topology_graph_load"), load_s,
               f"s ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)"),
        Figure(_name("topology_all_single_failures"), fast_s, f"s ({len(single)} elements)",
               brute_s, f"one traversal per element, {len(sample)} sampled"),
    ]  # fmt: skip


def _client() -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core.accounts import set_role

    user = get_user_model().objects.create_user("bench-scale", password="bench-scale-password")
    set_role(user, "read")
    client = Client()
    client.force_login(user)
    return client


def _map(client: Any) -> list[Figure]:
    from topology import mapdata

    path = "/api/topology/map/"
    samples = []
    for _ in range(3):
        mapdata._cache.clear()
        began = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    size = len(response.content)
    return [
        Figure(_name("map_payload_built"), statistics.median(samples),
               f"s (median of 3, cache emptied; {size / 1024:.0f} KiB)"),
    ]  # fmt: skip


def _status(client: Any) -> list[Figure]:
    from inventory.models import Establishment

    path = "/dashboards/status/"
    assert client.get(path).status_code == 200  # warm-up
    samples = []
    for _ in range(STATUS_REQUESTS):
        began = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    sites = Establishment.objects.count()
    return [
        Figure(_name("status_payload"), statistics.median(samples),
               f"s (median of {STATUS_REQUESTS}; {sites} sites, "
               f"{len(response.content) / 1024:.0f} KiB)"),
    ]  # fmt: skip


# --- the embedded cycle, ingest, correlation ---------------------------------------------------


@dataclasses.dataclass
class _Cycle:
    samples: list[Any] = dataclasses.field(default_factory=list)


def _embedded(captured: _Cycle) -> list[Figure]:
    import alerting.live as live
    import menhir.polling as polling
    from menhir.polling import PollService

    phases: dict[str, float] = defaultdict(float)
    service = PollService(interval_s=60)
    original_write = service.writer.write

    def write(interfaces: Any, *args: Any, **kwargs: Any) -> Any:
        captured.samples = list(interfaces)
        with _timed(phases, "write"):
            return original_write(interfaces, *args, **kwargs)

    service.writer.write = write  # type: ignore[method-assign,assignment]
    undo = [
        _wrap(service, "poll", phases, "poll_and_write"),
        _wrap(polling, "detect", phases, "detect"),  # as menhir.polling imported them
        _wrap(live, "correlate", phases, "correlate"),
        _wrap(polling, "detect_conditions", phases, "conditions"),
        _wrap(service, "maintain", phases, "maintain"),
        _wrap(polling, "load_targets", phases, "targets"),
    ]
    try:
        began = time.perf_counter()
        service.context()  # the topology and the detector's state, once per process
        context_s = time.perf_counter() - began
        began = time.perf_counter()
        service.run_once()  # warm-up: first counters, engines, partitions
        warm_s = time.perf_counter() - began
        phases.clear()
        walls: list[float] = []
        devices = interfaces = failed = 0
        cpu = time.process_time()
        for _ in range(CYCLES):
            began = time.perf_counter()
            summary = service.run_once()
            walls.append(time.perf_counter() - began)
            devices, interfaces = summary.devices, interfaces + summary.interfaces
            failed += summary.errors
            if summary.errors:
                _note(f"{summary.errors} devices failed: {summary.error_samples}")
        cpu = time.process_time() - cpu
    finally:
        for restore in undo:
            restore()
        service.close()
    wall = statistics.median(walls)
    per_cycle = {k: v / CYCLES for k, v in phases.items()}
    detection = per_cycle.get("detect", 0.0) - per_cycle.get("correlate", 0.0)
    return [
        Figure(_name("live_context_load"), context_s, "s (topology graph, detector state)"),
        Figure(_name("full_cycle_warmup_wall"), warm_s, "s"),
        Figure(_name("full_cycle_wall"), wall,
               f"s (median of {len(walls)}; {devices} devices, {interfaces // CYCLES} interfaces; "
               f"load average {_load()})", GOAL_CYCLE_S, "the 60 s cycle"),
        Figure(_name("full_cycle_interfaces_per_s"), interfaces / sum(walls), "interfaces/s"),
        Figure(_name("full_cycle_cpu_per_1000_interfaces"), cpu / interfaces * 1000,
               "s (process CPU: poll, write, detect, maintain)"),
        Figure(_name("full_cycle_unanswered_devices"), failed, "devices"),
        Figure(_name("full_cycle_phase_targets"), per_cycle.get("targets", 0.0),
               "s (the due devices and their credentials, from the database)", wall, "the cycle"),
        Figure(_name("full_cycle_phase_poll"),
               per_cycle.get("poll_and_write", 0.0) - per_cycle.get("write", 0.0), "s", wall,
               "the cycle"),
        Figure(_name("full_cycle_phase_write"), per_cycle.get("write", 0.0), "s", wall,
               "the cycle"),
        Figure(_name("full_cycle_phase_detection"), detection, "s (without correlation)", wall,
               "the cycle"),
        Figure(_name("full_cycle_phase_correlation"), per_cycle.get("correlate", 0.0), "s",
               wall, "the cycle"),
        Figure(_name("full_cycle_phase_conditions"), per_cycle.get("conditions", 0.0),
               "s (saturation, errors)", wall, "the cycle"),
        Figure(_name("full_cycle_phase_maintenance"), per_cycle.get("maintain", 0.0),
               "s (rollups, retention, SLA collection)", wall, "the cycle"),
    ]  # fmt: skip


def _bare_copy(conninfo: str, samples: list[Any]) -> float:
    import psycopg

    from metrics import schema
    from metrics.writer import _INTERFACE_TYPES, INTERFACE_COLUMNS

    codes = schema.OPER_STATUS_CODES
    statement = f"COPY metrics_interface_sample ({INTERFACE_COLUMNS}) FROM STDIN (FORMAT BINARY)"
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT 1")
        began = time.perf_counter()
        with conn.cursor() as cur, cur.copy(statement) as copy:
            copy.set_types(_INTERFACE_TYPES)
            for s in samples:
                copy.write_row(
                    (
                        s.time,
                        s.interface_id,
                        s.device_id,
                        s.interval_s,
                        s.in_bps,
                        s.out_bps,
                        s.in_errors,
                        s.out_errors,
                        s.in_discards,
                        s.out_discards,
                        codes[s.oper_status.value],
                        s.admin_up,
                        s.speed_bps,
                    )
                )
        conn.commit()
        return time.perf_counter() - began


def _ingest(captured: _Cycle) -> list[Figure]:
    from metrics.maintenance import conninfo_from_settings
    from metrics.writer import MetricsWriter

    samples = captured.samples
    if not samples:
        raise RuntimeError("no cycle's samples to write")
    conninfo = conninfo_from_settings()
    base = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=30)
    minutes = iter(range(2 * INGEST_REPEATS + 1))

    def at_next_minute() -> list[Any]:
        when = base + timedelta(minutes=next(minutes))
        return [dataclasses.replace(s, time=when) for s in samples]

    writer_s: list[float] = []
    bare_s: list[float] = []
    with tempfile.TemporaryDirectory() as spool, MetricsWriter(conninfo, Path(spool)) as writer:
        writer.write(at_next_minute()[:100])  # connection, temp tables, partitions
        for _ in range(INGEST_REPEATS):
            rows = at_next_minute()
            began = time.perf_counter()
            inserted = writer.write(rows).inserted
            writer_s.append(time.perf_counter() - began)
            assert inserted == len(rows), f"the writer inserted {inserted} of {len(rows)} rows"
            bare_s.append(_bare_copy(conninfo, at_next_minute()))
    ours, bare = (
        len(samples) / statistics.median(writer_s),
        len(samples) / statistics.median(bare_s),
    )
    return [
        Figure(_name("ingest_writer_rows_per_s"), ours,
               f"rows/s ({len(samples)} rows per batch, median of {INGEST_REPEATS})", bare,
               "a bare psycopg binary COPY of the same rows into the same table"),
        Figure(_name("ingest_bare_copy_rows_per_s"), bare, "rows/s"),
    ]  # fmt: skip


def _correlation() -> list[Figure]:
    from alerting.correlation import correlate
    from bench.bench_alerting import worst_pop_failure
    from topology.analysis import Network
    from topology.loader import load_graph

    net = Network(load_graph())
    _, cut, down = worst_pop_failure(net)
    times = []
    for _ in range(5):
        began = time.perf_counter()
        verdict = correlate(net, down)
        times.append(time.perf_counter() - began)
    return [
        Figure(_name("correlation_worst_pop_failure"), statistics.median(times),
               f"s (median of 5; {len(down)} devices down, {len(cut.isolated)} sites isolated, "
               f"{len(verdict.root_causes)} root cause(s))"),
    ]  # fmt: skip


# --- the distributed mode ------------------------------------------------------------------------


def _distributed(db_name: str) -> list[Figure]:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from bench import bench_distributed as dist

    dist.CYCLES = CYCLES
    tag = os.urandom(4).hex()
    settings.MENHIR_CELERY_QUEUE = f"bench-scale-menhir-{tag}"
    settings.MENHIR_POLL_QUEUE = f"bench-scale-poll-{tag}"
    settings.MENHIR_POLL_QUEUE_BY_REGION = False
    db = connection.settings_dict
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=(
                f"postgresql://{db['USER'] or 'postgres'}@/{db_name}"
                f"?host={db['HOST']}&port={db['PORT']}"
            ),
            CELERY_BROKER_URL=dist.BROKER,
            MENHIR_CELERY_QUEUE=settings.MENHIR_CELERY_QUEUE,
            MENHIR_POLL_QUEUE=settings.MENHIR_POLL_QUEUE,
            MENHIR_SPOOL_DIR=str(Path(tmp) / "spool"),
            MENHIR_LOG_LEVEL="WARNING",
        )
        queues = f"{settings.MENHIR_CELERY_QUEUE},{settings.MENHIR_POLL_QUEUE}"
        start = timezone.now() + timedelta(hours=2)
        first: tuple[int, float] | None = None  # the first worker count measured, its cycle
        try:
            for n, workers in enumerate(WORKERS):
                when = start + timedelta(hours=n)
                try:
                    runs = dist._measure(workers, env, queues, Path(tmp), when)
                except Exception:
                    print(f"# bench_scale: {workers} workers failed:", file=sys.stderr)
                    traceback.print_exc()
                    continue
                seconds = statistics.median(s for s, _ in runs)
                devices = runs[0][1]
                reference = first
                first = first or (workers, seconds)
                figures += [
                    Figure(_name(f"distributed_cycle_{workers}_workers"), seconds,
                           f"s ({devices} devices; load average {_load()})",
                           reference[1] if reference else None,
                           f"{reference[0] if reference else 0} worker(s)"),
                    Figure(_name(f"distributed_devices_per_s_{workers}_workers"),
                           devices / seconds, "devices/s"),
                ]  # fmt: skip
        finally:
            dist._delete_queues([settings.MENHIR_CELERY_QUEUE, settings.MENHIR_POLL_QUEUE])
    return figures


# --- the SLA month -------------------------------------------------------------------------------


def _sla() -> list[Figure]:
    from inventory.models import Contract
    from simulation.sla_history import generate_history
    from sla.service import evaluate_month

    year, month = 2026, 10
    now = datetime(2026, 11, 15, tzinfo=UTC)
    began = time.perf_counter()
    summary = generate_history(year, month, seed=1, capacity=False)
    generated = time.perf_counter() - began
    contracts = list(Contract.objects.order_by("reference"))
    began = time.perf_counter()
    reports = [evaluate_month(c, year, month, now=now).report for c in contracts]
    evaluated = time.perf_counter() - began
    subscriptions = sum(len(r.output["subscriptions"]) for r in reports)
    return [
        Figure(_name("sla_generate_month"), generated, f"s ({summary.runs} monitoring runs)"),
        Figure(_name("sla_month_evaluation"), evaluated,
               f"s ({subscriptions} subscription-months, {len(contracts)} contracts)",
               SLA_GOAL_S, "the reference network's 30 s goal"),
        Figure(_name("sla_subscription_months_per_s"), subscriptions / evaluated,
               "subscription-months/s"),
    ]  # fmt: skip


# --- the run -------------------------------------------------------------------------------------


def run() -> list[Figure]:
    from bench.db import reference_database
    from bench.lab_run import running_lab

    figures: list[Figure] = []
    timings: dict[str, float] = {}
    _note("seeding…")
    with reference_database(scale=SCALE, timings=timings) as db_name:
        from django.db import connections

        from inventory.models import SNMPProfile
        from simulation.lab.inventory_adapter import load_network

        _guarded(figures, "inventory", lambda: _inventory_figures(timings))
        _guarded(figures, "single failures", _single_failures)
        client = _client()
        _guarded(figures, "map", lambda: _map(client))
        SNMPProfile.objects.update(port=SNMP_PORT)  # the lab's agents on the bench's port
        network = load_network()
        connections.close_all()
        began = time.monotonic()
        with running_lab(network):
            figures.append(
                Figure(
                    _name("lab_ready"),
                    time.monotonic() - began,
                    f"s ({len(network.devices)} agents)",
                )
            )
            captured = _Cycle()
            _guarded(figures, "embedded cycle", lambda: _embedded(captured))
            _guarded(figures, "ingest", lambda: _ingest(captured))
            captured.samples = []
            _guarded(figures, "correlation", _correlation)
            _guarded(figures, "status payload", lambda: _status(client))
            if WORKERS:
                _guarded(figures, "distributed", lambda: _distributed(db_name))
        if SLA:
            _guarded(figures, "SLA month", _sla)
    return figures


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
