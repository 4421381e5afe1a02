"""Units on the pages: committed rates in Mbit/s, speeds, percentages, durations, money."""

from __future__ import annotations

from decimal import Decimal

from inventory import formatting as fmt


def test_committed_rates_are_shown_in_mbit_s() -> None:
    assert fmt.mbit_s(100_000_000) == "100 Mbit/s"
    assert fmt.mbit_s(512_000) == "0.512 Mbit/s"
    assert fmt.mbit_s(1_000_000_000) == "1\u202f000 Mbit/s"
    assert fmt.mbit_s(2_500_000) == "2.5 Mbit/s"
    assert fmt.mbit_s(None) == "—"


def test_speeds_take_the_largest_whole_unit() -> None:
    assert fmt.speed(1_000_000_000) == "1 Gbit/s"
    assert fmt.speed(10_000_000_000) == "10 Gbit/s"
    assert fmt.speed(100_000_000) == "100 Mbit/s"
    assert fmt.speed(64_000) == "64 kbit/s"
    assert fmt.speed(300) == "300 bit/s"
    assert fmt.speed(None) == "—"


def test_percentages_durations_and_money() -> None:
    assert fmt.percent(Decimal("99.900")) == "99.9\u00a0%"
    assert fmt.percent("0") == "0\u00a0%"
    assert fmt.percent(None) == "—"
    assert fmt.minutes(240) == "4 h"
    assert fmt.minutes(90) == "1 h 30 min"
    assert fmt.minutes(45) == "45 min"
    assert fmt.minutes(None) == "—"
    assert fmt.euros(Decimal("1200000")) == "1\u202f200\u202f000.00\u00a0€"
    assert fmt.euros(Decimal("450.5")) == "450.50\u00a0€"
    assert fmt.euros(None) == "—"
