"""The NetBox-style filters: exact, negation, contains, related lookups, OR of repeated values."""

from __future__ import annotations

import pytest

from inventory.filtersets import EstablishmentFilterSet, LinkFilterSet
from inventory.models import Establishment, Link
from tests.factories.inventory import small_network

pytestmark = pytest.mark.django_db


def codes(params: dict[str, object]) -> list[str]:
    fs = EstablishmentFilterSet(params, queryset=Establishment.objects.all())
    assert fs.is_valid(), fs.errors
    return sorted(fs.qs.values_list("code", flat=True))


def test_related_lookup_by_department_code() -> None:
    small_network()
    assert codes({"commune__department": "29"}) == ["LYC-29-001", "MAI-29-002"]
    assert codes({"commune__department__n": "29"}) == ["CHU-35-001"]


def test_text_lookups_and_repeated_values() -> None:
    small_network()
    assert codes({"name__ic": "lycée"}) == ["LYC-29-001"]
    assert codes({"code__isw": "mai"}) == ["MAI-29-002"]
    assert codes({"category": ["lycee", "health"]}) == ["CHU-35-001", "LYC-29-001"]
    assert codes({"category__n": "local_authority"}) == ["CHU-35-001", "LYC-29-001"]


def test_search_and_to_many_filters_return_each_site_once() -> None:
    small_network()
    assert codes({"q": "rennes"}) == ["CHU-35-001"]
    # The CHU has two links through two PoPs: still one row per establishment.
    assert codes({"operator": "armor"}) == ["CHU-35-001", "LYC-29-001", "MAI-29-002"]
    assert codes({"pop": "quimper"}) == ["CHU-35-001", "LYC-29-001", "MAI-29-002"]


def test_invalid_value_is_a_form_error() -> None:
    small_network()
    fs = LinkFilterSet({"committed_down_bps__gte": "lots"}, queryset=Link.objects.all())
    assert not fs.is_valid()
    assert "committed_down_bps__gte" in fs.errors


def test_numeric_ranges_and_roles() -> None:
    small_network()
    fs = LinkFilterSet(
        {"role": "backup", "committed_down_bps__gte": "1000"}, queryset=Link.objects.all()
    )
    assert fs.is_valid()
    assert [link.establishment.code for link in fs.qs] == ["CHU-35-001"]


def test_datetimes_postgresql_cannot_compare_are_form_errors() -> None:
    """Found by schemathesis: an offset past ±15:59 was a 500 from the database."""
    from alerting.filtersets import MaintenanceWindowFilterSet
    from alerting.models import MaintenanceWindow

    def check(params: dict[str, str]) -> MaintenanceWindowFilterSet:
        return MaintenanceWindowFilterSet(params, queryset=MaintenanceWindow.objects.all())

    for name in ("planned_start__gte", "active_at"):
        for bad in ("0276-11-13T23:56:33+19:21", "3231-07-14T14:38:08-20:05", "yesterday"):
            fs = check({name: bad})
            assert not fs.is_valid()
            assert name in fs.errors
    fine = check({"planned_start__gte": "2000-01-01T00:00:00+15:59"})
    assert fine.is_valid(), fine.errors
    assert list(fine.qs) == []
