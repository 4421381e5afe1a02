"""The generated month: plausible, complete enough for a report, the same for the same seed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from alerting.models import Incident, MaintenanceWindow, Ticket
from menhir.cli import app
from menhir.cli.sla import previous_month
from simulation.sla_history import RealDataError, generate_history
from sla.inputs import build_inputs
from sla.models import ExclusionClaim, MonitoringRun, Report
from sla.report.loader import load_content
from sla.service import evaluate_month
from tests.factories import inventory as f
from tests.factories.sla import NOW, small_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def network() -> object:
    month = small_month()
    MonitoringRun.objects.all().delete()  # the fixture's own run stands for real polling
    for n in range(40):  # enough links for outages, maintenance targets and claims
        f.LinkFactory.create(
            circuit_id=f"X{n:03d}",
            operator=month.contract.operator,
            contract=month.contract,
            service_class=month.link_a.service_class,
            technology=("adsl", "sdsl", "ftto")[n % 3],
        )
    return month


def test_generated_month_is_complete_and_evaluates(network: object) -> None:
    summary = generate_history(2025, 6, seed=7)
    assert summary.links == 42
    assert summary.capacity_rows == 15 * 8640  # every fibre link: X002, X005… X038, A and B
    assert summary.runs == MonitoringRun.objects.filter(source="generated").count() > 42
    unknown = MonitoringRun.objects.filter(state="unknown").count()
    assert unknown >= 2 * 42  # two collector gaps on every link
    assert Ticket.objects.count() == summary.tickets > 0
    assert MaintenanceWindow.objects.count() == 6
    assert {w.curative for w in MaintenanceWindow.objects.all()} == {True, False}
    assert ExclusionClaim.objects.count() == summary.claims > 0
    assert Incident.objects.count() == summary.incidents > 1  # access outages and the PoP
    pop = Incident.objects.get(kind="pop_down")
    assert pop.operator is None
    assert set(pop.impacts.values_list("imputability", flat=True)) == {"third_party"}
    month = network.contract  # type: ignore[attr-defined]
    report = evaluate_month(month, 2025, 6, now=NOW).report
    assert len(report.output["subscriptions"]) == 42
    assert load_content(report).summary.incidents == summary.incidents - 1  # PoP: no operator
    assert report.inputs["maintenance"]
    assert report.inputs["tickets"]
    assert len(load_content(report).capacity) == 15


def test_refuses_a_month_that_holds_real_monitoring() -> None:
    small_month()  # one run from the poller in June
    with pytest.raises(RealDataError, match="2025-06 already holds monitoring from the poller"):
        generate_history(2025, 6)
    assert not Ticket.objects.exists()


def test_same_seed_same_month_same_hash(network: object) -> None:
    contract = network.contract  # type: ignore[attr-defined]
    generate_history(2025, 6, seed=7, capacity=False)
    first = build_inputs(contract, 2025, 6, now=NOW).hash
    generate_history(2025, 6, seed=7, capacity=False)  # replaces, never adds
    assert build_inputs(contract, 2025, 6, now=NOW).hash == first
    generate_history(2025, 6, seed=8, capacity=False)
    assert build_inputs(contract, 2025, 6, now=NOW).hash != first


def test_cli_generates_and_reports(network: object, tmp_path: object) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["sla", "generate-history", "2025-06", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "2025-06: 42 links" in result.output
    result = runner.invoke(app, ["sla", "report", "2025-06", "--pdf", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "LOT-T 2025-06 v1 (new)" in result.output
    assert Report.objects.count() == 1
    assert list(tmp_path.glob("*.pdf"))  # type: ignore[attr-defined]
    bad = runner.invoke(app, ["sla", "report", "2025-6"])
    assert bad.exit_code == 2
    assert "not a month" in bad.output
    bad = runner.invoke(app, ["sla", "report", "2025-06", "--contract", "NOPE"])
    assert bad.exit_code == 2
    assert "unknown contract: NOPE" in bad.output


def test_previous_month_wraps_the_year() -> None:
    import datetime as dt

    assert previous_month(dt.datetime(2026, 1, 10, tzinfo=dt.UTC)) == "2025-12"
    # 31 Oct 23:30 UTC is already 1 November in Paris: October is complete.
    assert previous_month(dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)) == "2026-10"


def test_demo_history_gives_every_contract_a_report_page_and_pdf(network: object) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from common.roles import READ
    from core.accounts import set_role
    from menhir.demo import sla_history

    reports = sla_history("2025-06", seed=1)
    assert [r[0] for r in reports] == ["LOT-T"]
    reader = get_user_model().objects.create_user(username="reader")
    set_role(reader, READ)
    client = Client()
    client.force_login(reader)
    home = client.get("/").content.decode()
    assert 'href="/sla/"' in home  # the home page's menu leads to the reports
    assert f'href="{reports[0][1]}"' in client.get("/sla/").content.decode()
    _, page, pdf = reports[0]
    assert client.get(page).status_code == 200
    response = client.get(pdf)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
