"""Counter maths: wraps, resets, impossible rates and the real elapsed time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poller.counters import (
    COUNTER32_MODULO,
    COUNTER64_MODULO,
    CounterReading,
    counter_delta,
    event_delta,
    octet_rate_bps,
    rebooted,
)

u32 = st.integers(0, COUNTER32_MODULO - 1)
u64 = st.integers(0, COUNTER64_MODULO - 1)


def test_counter64_growth_is_the_difference() -> None:
    assert counter_delta(1_000, 126_000, 64) == 125_000


def test_counter32_decrease_is_one_wrap() -> None:
    assert counter_delta(COUNTER32_MODULO - 100, 50, 32) == 150


def test_counter64_decrease_is_a_reset_not_a_wrap() -> None:
    assert counter_delta(5_000_000, 10, 64) is None


@pytest.mark.parametrize(("value", "bits"), [(-1, 32), (COUNTER32_MODULO, 32), (1 << 64, 64)])
def test_values_outside_the_counter_width_are_rejected(value: int, bits: int) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        counter_delta(0, value, bits)


def test_only_32_and_64_bit_counters_exist() -> None:
    with pytest.raises(ValueError, match="32 or 64"):
        counter_delta(0, 1, 16)


@given(u32, st.integers(0, COUNTER32_MODULO - 1))
def test_counter32_delta_recovers_any_growth_below_one_wrap(start: int, growth: int) -> None:
    assert counter_delta(start, (start + growth) % COUNTER32_MODULO, 32) == growth


@given(u64, u64)
def test_counter64_delta_is_exact_or_unknown(before: int, after: int) -> None:
    delta = counter_delta(before, after, 64)
    assert delta == (after - before if after >= before else None)


def test_rate_is_bits_over_the_real_elapsed_time() -> None:
    rate = octet_rate_bps(CounterReading(0, 64, 100.0), CounterReading(1_250_000, 64, 110.0))
    assert rate == 1_000_000.0


def test_rate_uses_each_reading_time_not_a_nominal_interval() -> None:
    late = octet_rate_bps(CounterReading(0, 64, 100.0), CounterReading(1_000, 64, 104.0))
    assert late == 2_000.0


def test_counter32_wrap_gives_the_true_rate() -> None:
    before = CounterReading(COUNTER32_MODULO - 1_000, 32, 0.0)
    after = CounterReading(9_000, 32, 1.0)
    assert octet_rate_bps(before, after) == 80_000.0


def test_counter_reset_after_reboot_yields_unknown_interval() -> None:
    before = CounterReading(10_000, 32, 0.0)
    after = CounterReading(20_000, 32, 60.0)
    assert octet_rate_bps(before, after, reset=True) is None


def test_counter64_decrease_yields_unknown_interval_not_a_spike() -> None:
    assert octet_rate_bps(CounterReading(10**12, 64, 0.0), CounterReading(5, 64, 60.0)) is None


def test_rate_above_interface_speed_is_rejected() -> None:
    before = CounterReading(0, 64, 0.0)
    after = CounterReading(2_000_000, 64, 1.0)  # 16 Mbit/s on a 10 Mbit/s port
    assert octet_rate_bps(before, after, speed_bps=10_000_000) is None
    assert octet_rate_bps(before, after, speed_bps=100_000_000) == 16_000_000.0


def test_counter32_reset_without_reboot_on_a_known_speed_is_rejected() -> None:
    # A 32-bit counter cleared by hand looks like a wrap: the implied rate exceeds the port.
    before = CounterReading(3_000_000_000, 32, 0.0)
    after = CounterReading(1_000, 32, 60.0)
    assert octet_rate_bps(before, after, speed_bps=100_000_000) is None


@pytest.mark.parametrize("elapsed", [0.0, -5.0])
def test_no_elapsed_time_yields_unknown(elapsed: float) -> None:
    assert (
        octet_rate_bps(CounterReading(0, 64, 10.0), CounterReading(5, 64, 10.0 + elapsed)) is None
    )


def test_counter_width_change_yields_unknown() -> None:
    assert octet_rate_bps(CounterReading(0, 32, 0.0), CounterReading(5, 64, 1.0)) is None


def test_idle_interface_rate_is_zero_not_unknown() -> None:
    assert octet_rate_bps(CounterReading(7, 64, 0.0), CounterReading(7, 64, 60.0)) == 0.0


@given(u64, st.integers(0, 10**12), st.floats(0.01, 3600), st.floats(0, 10**9))
def test_rate_is_never_negative_and_times_elapsed_gives_the_octets(
    start: int, growth: int, elapsed: float, t0: float
) -> None:
    after = start + growth
    if after >= COUNTER64_MODULO:
        return
    rate = octet_rate_bps(CounterReading(start, 64, t0), CounterReading(after, 64, t0 + elapsed))
    if t0 + elapsed <= t0:
        assert rate is None
        return
    assert rate is not None
    assert rate >= 0
    assert rate * ((t0 + elapsed) - t0) / 8 == pytest.approx(growth, rel=1e-9, abs=1e-6)


@given(u32, u32, st.floats(0.5, 600), st.integers(1, 10**11))
def test_counter32_rate_never_exceeds_the_speed(
    before: int, after: int, elapsed: float, speed: int
) -> None:
    rate = octet_rate_bps(
        CounterReading(before, 32, 0.0), CounterReading(after, 32, elapsed), speed_bps=speed
    )
    assert rate is None or 0 <= rate <= speed


def test_uptime_going_back_is_a_reboot() -> None:
    assert rebooted(500_000, 1_200)


def test_uptime_growing_is_not_a_reboot() -> None:
    assert not rebooted(500_000, 506_000)


def test_uptime_wrapping_after_497_days_is_not_a_reboot() -> None:
    assert not rebooted(COUNTER32_MODULO - 100, 200)


def test_unknown_uptime_is_not_a_reboot() -> None:
    assert not rebooted(None, 5)
    assert not rebooted(5, None)


def test_event_counters_give_the_growth_and_unknown_after_reset() -> None:
    assert event_delta(10, 15) == 5
    assert event_delta(COUNTER32_MODULO - 1, 2) == 3
    assert event_delta(10, 15, reset=True) is None
    assert event_delta(None, 15) is None
