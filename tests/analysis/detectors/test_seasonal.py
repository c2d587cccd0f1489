"""The seasonal members: a day that breaks the daily shape inside the usual value range."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.detectors import RangeNovelty, SeasonalShift, anomaly_scores
from analysis.detectors.seasonal import period_points, seasonal_residual

DAY = 96  # points per day at a 15-minute step
STEP_SECONDS = 900


def daily_cycle(days: int, seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(days * DAY)
    return 10.0 + 3.0 * np.sin(2 * np.pi * t / DAY) + rng.normal(0.0, 0.2, len(t))


def flat_day(days: int, flat_from: int) -> np.ndarray:
    """The cycle with one day held at its mean: never outside the range of values."""
    values = daily_cycle(days)
    values[flat_from : flat_from + DAY] = 10.0
    return values


def test_flat_day_is_seasonal_but_not_out_of_range():
    flat_from = 12 * DAY + DAY // 2
    values, clean = flat_day(16, flat_from), daily_cycle(16)
    seasonal = SeasonalShift(period=DAY, periods=3, span=3, window=2000)
    on_flat = seasonal.score(values)[flat_from : flat_from + DAY].max()
    assert on_flat > 3 * seasonal.score(clean).max()
    range_only = RangeNovelty(window=2000)
    assert range_only.score(values)[flat_from : flat_from + DAY].max() == 0.0


def test_timestamps_switch_on_the_seasonal_members():
    flat_from = 12 * DAY + DAY // 2
    values = flat_day(16, flat_from)
    stamps = 1_600_000_000 + STEP_SECONDS * np.arange(len(values))
    with_period = anomaly_scores(values, stamps)[flat_from : flat_from + DAY].max()
    without = anomaly_scores(values)[flat_from : flat_from + DAY].max()
    assert with_period > 0.5 > without


def test_period_points_from_seconds_and_datetimes():
    seconds = STEP_SECONDS * np.arange(50)
    assert period_points(seconds, 86_400) == DAY
    datetimes = np.datetime64("2024-01-01T00:00") + np.arange(50) * np.timedelta64(15, "m")
    assert period_points(datetimes, 86_400) == DAY
    assert period_points(np.array([5.0]), 86_400) is None
    assert period_points(np.arange(10) * 86_400.0, 86_400) is None  # a day is one point


def test_residual_uses_the_median_of_the_periods_that_exist():
    values = np.array([1.0, 2.0, 10.0, 4.0, 3.0])
    residual = seasonal_residual(values, period=1, periods=3)
    # t=0: no past period; t=1: 2-1; t=3: 4 - median(10, 2, 1)
    np.testing.assert_allclose(residual, [0.0, 1.0, 8.5, 2.0, -1.0])


@pytest.mark.parametrize("period, periods, span", [(1, 1, 1), (4, 0, 1), (4, 1, 0)])
def test_bad_parameters_are_rejected(period, periods, span):
    with pytest.raises(ValueError, match="period"):
        SeasonalShift(period=period, periods=periods, span=span)
