"""Evaluating a contract-month from the database: figures, versions, hashes, penalty lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sla.collect import record_window
from sla.inputs import build_inputs, document_hash
from sla.models import (
    ClaimDecision,
    CollectedWindow,
    ExclusionClaim,
    ImmutableError,
    MonitoringRun,
    Penalty,
    Report,
)
from sla.service import evaluate_month
from sla.workflow import transition
from tests.factories.sla import NOW, at, small_month

pytestmark = pytest.mark.django_db


def test_month_figures_match_the_hand_computation() -> None:
    month = small_month()
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    subs = {s["id"]: s for s in report.output["subscriptions"]}
    assert subs["A"]["downtime_s"] == 3600
    assert subs["A"]["scheduled_s"] == 2_592_000
    assert subs["A"]["availability_pct"] == "99.861"
    assert subs["A"]["availability_exact"] == "719/720"  # 2,588,400 / 2,592,000
    assert subs["A"]["penalties"] == [{"type": "availability", "amount_ht": "45.00"}]
    assert subs["B"]["availability_pct"] == "100.000"
    assert report.output["fleet_availability_pct"] == "99.930"
    assert report.output["total_ht"] == "45.00"
    assert not report.provisional
    (line,) = Penalty.objects.all()
    assert (line.link_id, line.type, line.computed_ht) == (
        month.link_a.pk,
        "availability",
        Decimal("45.00"),
    )
    assert report.results.get(link=month.link_a).availability_pct == "99.861"


def test_same_inputs_give_the_same_hash_and_version() -> None:
    month = small_month()
    first = evaluate_month(month.contract, 2025, 6, now=NOW)
    again = evaluate_month(month.contract, 2025, 6, now=NOW)
    assert first.created
    assert not again.created
    assert again.report.pk == first.report.pk
    assert (
        document_hash(build_inputs(month.contract, 2025, 6, now=NOW).document)
        == first.report.inputs_hash
    )
    assert Report.objects.count() == 1


def test_changed_input_makes_a_new_version_and_leaves_the_old_one() -> None:
    month = small_month()
    v1 = evaluate_month(month.contract, 2025, 6, now=NOW).report
    kept = (v1.inputs_hash, v1.output, v1.inputs)
    MonitoringRun.objects.create(link=month.link_b, start=at(20, 8), end=at(20, 9), state="down")
    v2 = evaluate_month(month.contract, 2025, 6, now=NOW).report
    assert (v1.version, v2.version) == (1, 2)
    assert v2.inputs_hash != v1.inputs_hash
    v1.refresh_from_db()
    assert (v1.inputs_hash, v1.output, v1.inputs) == kept
    assert {s["id"]: s["total_ht"] for s in v2.output["subscriptions"]} == {
        "A": "45.00",
        "B": "30.00",
    }


def test_a_report_version_is_never_modified_nor_deleted() -> None:
    report = evaluate_month(small_month().contract, 2025, 6, now=NOW).report
    report.output = {}
    with pytest.raises(ImmutableError):
        report.save()
    with pytest.raises(ImmutableError):
        report.delete()
    assert Report.objects.get().output["total_ht"] == "45.00"


def test_pending_claim_is_not_excluded_but_reported_as_disputed() -> None:
    month = small_month()
    # Accepted, the claim would leave 1,800 s down: 99.930 % ≥ 99.9 → no penalty; 45.00 at stake.
    ExclusionClaim.objects.create(
        link=month.link_a, start=at(10, 10), end=at(10, 10, 30), type="third_party"
    )
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    a = report.output["subscriptions"][0]
    assert (a["total_ht"], a["disputed_ht"]) == ("45.00", "45.00")
    ExclusionClaim.objects.update(decision=ClaimDecision.ACCEPTED)
    a = evaluate_month(month.contract, 2025, 6, now=NOW).report.output["subscriptions"][0]
    assert (a["downtime_s"], a["excluded_s"], a["total_ht"]) == (1800, 1800, "0.00")


def test_rejected_claim_changes_nothing() -> None:
    month = small_month()
    ExclusionClaim.objects.create(
        link=month.link_a,
        start=at(10, 10),
        end=at(10, 11),
        type="client",
        decision=ClaimDecision.REJECTED,
    )
    a = evaluate_month(month.contract, 2025, 6, now=NOW).report.output["subscriptions"][0]
    assert (a["downtime_s"], a["total_ht"], a["disputed_ht"]) == (3600, "45.00", "0.00")


def test_computed_lines_follow_a_new_version_proposed_ones_record_an_adjustment(
    admin_user: object,
) -> None:
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    line = Penalty.objects.get()
    transition(line, "proposed", admin_user)
    # 3 more hours down on A: 14,400 s → 99.444… % → tier 25 % = 112.50.
    MonitoringRun.objects.create(link=month.link_a, start=at(12, 0), end=at(12, 3), state="down")
    evaluate_month(month.contract, 2025, 6, now=NOW)
    line.refresh_from_db()
    assert (line.status, line.amount_ht, line.recomputed_ht) == (
        "proposed",
        Decimal("45.00"),
        Decimal("112.50"),
    )


def test_an_unfinished_month_is_provisional_with_as_of() -> None:
    month = small_month()
    report = evaluate_month(month.contract, 2025, 6, now=at(15, 12, 0, month=6)).report
    assert report.provisional
    assert report.inputs["as_of"] == "2025-06-15T12:00:00Z"


def test_link_without_fee_is_a_data_quality_finding() -> None:
    month = small_month()
    month.link_b.monthly_fee_ht = None
    month.link_b.save()
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    assert [s["id"] for s in report.output["subscriptions"]] == ["A"]
    assert report.notes["quality"] == ["link B: no monthly fee; left out of the figures"]


def test_earlier_months_penalties_count_towards_the_running_total(admin_user: object) -> None:
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    transition(Penalty.objects.get(), "proposed", admin_user)
    doc = build_inputs(month.contract, 2025, 7, now=at(31, 12, month=7)).document
    assert doc["contract"]["penalties_to_date_ht"] == "45.00"


def test_the_hash_does_not_depend_on_how_decimals_were_read() -> None:
    month = small_month()  # in memory: Decimal("10") as given; from the database: "10.00"
    fresh = type(month.contract).objects.get(pk=month.contract.pk)
    assert (
        build_inputs(month.contract, 2025, 6, now=NOW).hash
        == build_inputs(fresh, 2025, 6, now=NOW).hash
    )
    assert (
        build_inputs(fresh, 2025, 6, now=NOW).document["contract"]["penalty_cap_contract_pct"]
        == "10"
    )


def test_contract_cap_clips_the_month_with_a_deduction_line() -> None:
    month = small_month()
    # Amount 400.00 → cap 10 % = 40.00; the month owes 45.00 → clipped to 40.00: a −5.00 line.
    month.contract.amount_total_ht = Decimal("400.00")
    month.contract.save()
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    assert (report.output["total_ht"], report.output["contract_cap_reached"]) == ("40.00", True)
    lines = {(p.link_id, p.type): p.amount_ht for p in Penalty.objects.all()}
    assert lines == {
        (month.link_a.pk, "availability"): Decimal("45.00"),
        (None, "contract_cap"): Decimal("-5.00"),
    }
    assert sum(lines.values()) == Decimal("40.00")
    evaluate_month(month.contract, 2025, 6, now=NOW)  # same inputs: nothing duplicated
    assert Penalty.objects.count() == 2


def test_monitoring_until_is_where_the_collected_monitoring_ends_at_most_a_day_after() -> None:
    """June 2025 ends on 30 June 22:00 UTC; the factory's collected window runs to 2 July 00:00
    UTC, so the file reads the day after: monitoring_until = 1 July 22:00 UTC, and a DOWN run
    on 1 July is in the file (beyond it, on 3 July, is not)."""
    month = small_month()
    MonitoringRun.objects.create(
        link=month.link_b, start=at(1, 10, month=7), end=at(1, 11, month=7), state="down"
    )
    MonitoringRun.objects.create(
        link=month.link_b, start=at(3, 10, month=7), end=at(3, 11, month=7), state="down"
    )
    doc = build_inputs(month.contract, 2025, 6, now=NOW).document
    assert doc["monitoring_until"] == "2025-07-01T22:00:00Z"
    assert [r["start"] for r in doc["monitoring"] if r["subscription"] == "B"] == [
        "2025-07-01T10:00:00Z"
    ]
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    assert not report.provisional


def test_without_collected_windows_the_default_end_applies_and_the_report_is_provisional() -> None:
    month = small_month()
    CollectedWindow.objects.all().delete()
    doc = build_inputs(month.contract, 2025, 6, now=NOW).document
    assert "monitoring_until" not in doc
    assert evaluate_month(month.contract, 2025, 6, now=NOW).report.provisional


def test_a_final_report_evaluated_again_with_more_monitoring_is_the_same_version() -> None:
    """Once final, collecting more days after the month changes nothing the month reads (the
    file stops at the day after): same inputs, same version, same tickets."""
    month = small_month()
    first = evaluate_month(month.contract, 2025, 6, now=NOW).report
    record_window(at(2, 0, month=7), at(5, 0, month=7), "poller")
    MonitoringRun.objects.create(
        link=month.link_a, start=at(3, 10, month=7), end=at(3, 12, month=7), state="down"
    )
    again = evaluate_month(month.contract, 2025, 6, now=NOW)
    assert not again.created
    assert again.report.pk == first.pk


def test_the_outages_the_input_ended_in_are_kept_with_the_report() -> None:
    """A DOWN run to 30 June 21:58 UTC, two UP slots before June's end, and nothing collected
    after: the outage ends unconfirmed at 21:58 and the report keeps it for its evidence."""
    month = small_month()
    CollectedWindow.objects.all().delete()
    record_window(at(30, 0, month=5), at(30, 22), "poller")
    MonitoringRun.objects.create(
        link=month.link_b, start=at(30, 20), end=at(30, 21, 58), state="down"
    )
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    assert report.provisional
    assert report.output["unconfirmed_outages"] == 1
    assert report.notes["outages"] == [
        {
            "subscription": "B",
            "start": "2025-06-30T20:00:00Z",
            "end": "2025-06-30T21:58:00Z",
            "state": "unconfirmed",
        }
    ]
