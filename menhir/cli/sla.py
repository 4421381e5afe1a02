"""`menhir sla …`: the SLA engine on an evaluation file (docs/sla.md), without the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from common.filenames import safe_filename
from common.jsondepth import TooDeep, parse_json
from sla.calc.evaluator import EvaluationResult, evaluate
from sla.calc.output import to_document
from sla.calc.parser import EvaluationError, parse_evaluation

sla_app = typer.Typer(
    help="Service levels: availability, GTR/GTI, penalties.", no_args_is_help=True
)

BAD_INPUT = 2


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(BAD_INPUT)


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _fail(f"{path}: cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        _fail(f"{path}: not UTF-8 text")
    try:
        return parse_json(text)
    except TooDeep as exc:
        _fail(f"{path}: {exc}")
    except json.JSONDecodeError as exc:
        _fail(f"{path}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")


@sla_app.command("evaluate")
def evaluate_command(
    file: Annotated[
        Path, typer.Argument(help="The evaluation file (JSON, format in docs/sla.md).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON output document.")
    ] = False,
) -> None:
    """Evaluate FILE: availability, tickets and penalties per subscription, then the totals."""
    document = _load(file)
    try:
        result = evaluate(parse_evaluation(document))
    except EvaluationError as exc:
        _fail(f"{file}: field {exc.field}: {exc.reason}")
        return
    notes = [n for r in result.subscriptions for n in r.notes]
    if as_json:
        typer.echo(json.dumps(to_document(result), indent=1, ensure_ascii=False))
        for note in notes:  # stdout stays exactly the documented output
            typer.echo(f"note: {note}", err=True)
        return
    _print_tables(result, notes)


_TEXT_COLUMNS = {"id", "subscription", "ticket", "type", "site", "breach"}


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in columns:
        if name in _TEXT_COLUMNS:
            table.add_column(name, justify="left", no_wrap=True)
        else:
            table.add_column(name, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


def _print_tables(result: EvaluationResult, notes: list[str]) -> None:
    doc = to_document(result)
    console = Console(width=max(Console().width, 120))
    subs = doc["subscriptions"]
    console.print(
        _table(
            "Subscriptions",
            [
                "id",
                "avail. %",
                "exact",
                "down s",
                "excl. s",
                "unkn. s",
                "cov. %",
                "micro",
                "tier %",
                "total € HT",
                "disputed",
            ],
            [
                [
                    s["id"],
                    _na(s["availability_pct"]),
                    _na(s["availability_exact"]),
                    str(s["downtime_s"]),
                    str(s["excluded_s"]),
                    str(s["unknown_s"]),
                    _na(s["coverage_pct"]),
                    str(s["micro_outages"]),
                    _na(s["tier_rate_pct"]),
                    s["total_ht"],
                    s["disputed_ht"],
                ]
                for s in subs
            ],
        )
    )
    ticket_rows = [
        [
            s["id"],
            t["id"],
            str(t["gtr_s"]),
            "yes" if t["breach"] else "no",
            str(t["started_hours"]),
            _na(None if t["gti_s"] is None else str(t["gti_s"])),
        ]
        for s in subs
        for t in s["tickets"]
    ]
    if ticket_rows:
        console.print(
            _table(
                "Tickets",
                ["subscription", "ticket", "GTR s", "breach", "started h", "GTI s"],
                ticket_rows,
            )
        )
    penalty_rows = [
        [s["id"], p["type"], p.get("ticket", "-"), p["amount_ht"]]
        for s in subs
        for p in s["penalties"]
    ]
    if penalty_rows:
        console.print(
            _table("Penalty lines", ["subscription", "type", "ticket", "€ HT"], penalty_rows)
        )
    console.print(
        _table(
            "Sites",
            ["site", "avail. %"],
            [[site, _na(pct)] for site, pct in doc["site_availability_pct"].items()],
        )
    )
    console.print(f"Fleet availability (primary links): {_pct(doc['fleet_availability_pct'])}")
    console.print(f"Total penalties: {doc['total_ht']} € HT (no VAT)")
    console.print(f"Contract cap reached: {'yes' if doc['contract_cap_reached'] else 'no'}")
    console.print(f"Exemption applies: {'yes' if doc['exemption_applies'] else 'no'}")
    for note in notes:
        console.print(f"[yellow]note:[/yellow] {note}", markup=True, highlight=False)


def _na(value: str | None) -> str:
    return "N/A" if value is None else value


def _pct(value: str | None) -> str:
    """A percentage with its unit, or N/A without one."""
    return "N/A" if value is None else f"{value} %"


def _month(text: str) -> tuple[int, int]:
    import re

    match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", text)
    if not match:
        _fail(f"{text!r} is not a month: write YYYY-MM")
        raise AssertionError  # unreachable: _fail exits
    return int(match[1]), int(match[2])


def previous_month(now: Any = None) -> str:
    """The last complete month, in the contracts' time zone (Paris)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    today = (now or datetime.now(UTC)).astimezone(ZoneInfo("Europe/Paris"))
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@sla_app.command("generate-history")
def generate_history_command(
    month: Annotated[
        str | None, typer.Argument(help="YYYY-MM; default: the last complete month.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same month.")] = 1,
) -> None:
    """Generate a plausible month of monitoring, tickets, maintenance and claims for every
    subscription of the inventory (the demo's history), replacing an earlier generation."""
    from menhir.bootstrap import setup_django

    year, number = _month(month or previous_month())
    setup_django()
    from simulation.sla_history import generate_history

    summary = generate_history(year, number, seed)
    typer.echo(f"generated {summary.describe()}")


@sla_app.command("report")
def report_command(
    month: Annotated[
        str | None, typer.Argument(help="YYYY-MM; default: the last complete month.")
    ] = None,
    contract: Annotated[
        list[str] | None, typer.Option(help="Contract reference (repeatable); default: all.")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option(help="Also write each report's PDF into this directory.")
    ] = None,
    lang: Annotated[
        str, typer.Option(help="en or fr: the PDFs' language (words, numbers, dates).")
    ] = "en",
) -> None:
    """Evaluate the month of each contract from the database (a new report version when its
    inputs changed, the existing one otherwise) and print where each report stands."""
    from menhir.bootstrap import setup_django

    year, number = _month(month or previous_month())
    if lang not in ("en", "fr"):
        _fail(f"--lang {lang!r}: en or fr")
    setup_django()
    from django.utils import translation

    from inventory.models import Contract
    from sla.report.loader import load_content
    from sla.report.pdf import render_pdf
    from sla.report.tables import build_tables
    from sla.service import evaluate_month

    contracts = Contract.objects.select_related("operator").order_by("reference")
    if contract:
        contracts = contracts.filter(reference__in=contract)
        missing = set(contract) - {c.reference for c in contracts}
        if missing:
            _fail(f"unknown contract: {', '.join(sorted(missing))}")
    for c in contracts:
        try:
            done = evaluate_month(c, year, number)
        except EvaluationError as exc:
            _fail(f"{c.reference}: the month's data was refused: {exc.field}: {exc.reason}")
            return
        r = done.report
        state = "new" if done.created else "unchanged"
        typer.echo(
            f"{c.reference} {r.year:04d}-{r.month:02d} v{r.version} ({state}): "
            f"fleet {_pct(r.output['fleet_availability_pct'])}, "
            f"penalties {r.output['total_ht']} € HT, hash {r.inputs_hash[:12]}"
        )
        if pdf is not None:
            pdf.mkdir(parents=True, exist_ok=True)
            with translation.override(lang):  # the inventory's names (categories) too
                content = load_content(r)
            stem = f"sla-{c.reference}-{r.year:04d}-{r.month:02d}-v{r.version}"
            target = pdf / f"{safe_filename(stem)}.pdf"
            target.write_bytes(render_pdf(content, build_tables(content, lang), lang))
            typer.echo(f"  {target}")


@sla_app.command("collect-runs")
def collect_runs_command(
    day: Annotated[
        str | None, typer.Argument(help="YYYY-MM-DD (Paris day); default: yesterday.")
    ] = None,
) -> None:
    """Store a day's monitoring runs of every access link (DOWN, UNKNOWN where no poll) from
    the poller's raw samples, before they expire. Run it daily; running it again replaces."""
    from datetime import UTC, date, datetime

    from menhir.bootstrap import setup_django

    setup_django()
    from sla.collect import collect_day, yesterday

    try:
        when = date.fromisoformat(day) if day else yesterday(datetime.now(UTC))
    except ValueError:
        _fail(f"{day!r} is not a day: write YYYY-MM-DD")
        return
    done = collect_day(when)
    typer.echo(
        f"{when}: {done.links} links, {done.down_runs} DOWN runs, {done.unknown_runs} UNKNOWN runs"
    )
