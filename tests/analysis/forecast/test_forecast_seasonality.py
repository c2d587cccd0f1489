"""Season detection on synthetic daily and weekly load shapes."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.forecast import detect_periods, detect_season

HOUR = 3600.0


def daily_load(days: int, per_day: int = 24, weekend_drop: float = 0.0, seed: int = 0):
    t = np.arange(days * per_day)
    rng = np.random.default_rng(seed)
    weekend = (t // per_day) % 7 >= 5
    shape = 100 + 40 * np.sin(2 * np.pi * t / per_day) - weekend_drop * weekend
    return shape + rng.normal(0, 4, t.size)


@pytest.mark.parametrize("per_day", [24, 48, 96])
def test_daily_period_found_without_timestamps(per_day: int) -> None:
    assert detect_season(daily_load(10, per_day)) == per_day


def test_daily_period_found_from_timestamps_with_30_minute_steps() -> None:
    x = daily_load(10, 48)
    stamps = 1_700_000_000 + 1800.0 * np.arange(x.size)
    assert detect_periods(x, stamps) == (48,)


def test_weekly_period_added_when_weekends_differ_and_history_is_two_weeks() -> None:
    x = daily_load(28, weekend_drop=40.0)
    assert detect_periods(x, HOUR * np.arange(x.size)) == (24, 168)
    assert detect_periods(x) == (24, 168)


def test_no_weekly_period_for_a_purely_daily_signal() -> None:
    assert detect_periods(daily_load(28)) == (24,)


def test_weekly_needs_two_weeks_of_history() -> None:
    assert detect_periods(daily_load(10, weekend_drop=40.0)) == (24,)


def test_white_noise_has_no_season() -> None:
    assert detect_season(np.random.default_rng(3).normal(size=500)) is None


def test_given_season_is_kept_as_primary() -> None:
    assert detect_periods(daily_load(10), season=12)[0] == 12


def test_bad_season_rejected() -> None:
    with pytest.raises(ValueError, match="season"):
        detect_periods(daily_load(3), season=0)
