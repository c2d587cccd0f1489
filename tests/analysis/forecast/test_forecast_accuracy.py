"""The forecaster tracks seasonal signals and its 80% interval covers at about that rate."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.forecast import forecast, seasonal_naive


def seasonal(n: int, period: int = 24, level: float = 200.0, amp: float = 80.0) -> np.ndarray:
    t = np.arange(n)
    return level + amp * np.sin(2 * np.pi * t / period) + 20 * np.cos(4 * np.pi * t / period)


def test_clean_seasonal_signal_is_tracked() -> None:
    x = seasonal(24 * 21 + 48)
    fc = forecast(x[:-48], 48)
    assert fc.season == 24
    assert np.max(np.abs(fc.mean - x[-48:])) < 0.02 * np.ptp(x)
    assert np.all(fc.lower <= fc.mean) and np.all(fc.mean <= fc.upper)


def test_trend_beats_seasonal_naive() -> None:
    t = np.arange(24 * 28 + 48)
    x = seasonal(t.size) + 0.5 * t
    fc = forecast(x[:-48], 48, season=24)
    naive = seasonal_naive(x[:-48], 48, 24)
    assert np.mean(np.abs(fc.mean - x[-48:])) < 0.5 * np.mean(np.abs(naive - x[-48:]))


def test_interval_covers_noisy_truth_near_nominal_rate() -> None:
    rng = np.random.default_rng(7)
    hits = []
    for _ in range(12):
        n = 24 * 21 + 24
        x = seasonal(n) * np.exp(rng.normal(0, 0.08, n))  # multiplicative noise
        fc = forecast(x[:-24], 24, season=24, level=0.8)
        hits.append(np.mean((x[-24:] >= fc.lower) & (x[-24:] <= fc.upper)))
    assert 0.65 <= float(np.mean(hits)) <= 0.95


def test_higher_level_gives_wider_interval() -> None:
    x = seasonal(24 * 14) + np.random.default_rng(1).normal(0, 10, 24 * 14)
    narrow, wide = forecast(x, 24, level=0.5), forecast(x, 24, level=0.95)
    assert np.mean(wide.upper - wide.lower) > np.mean(narrow.upper - narrow.lower)


def test_non_negative_series_never_forecast_below_zero() -> None:
    rng = np.random.default_rng(2)
    x = np.maximum(0.0, seasonal(24 * 14, level=20.0, amp=40.0) + rng.normal(0, 5, 24 * 14))
    fc = forecast(x, 48)
    assert fc.mean.min() >= 0 and fc.lower.min() >= 0


def test_short_history_still_forecasts() -> None:
    fc = forecast(np.array([5.0, 6.0, 7.0, 6.0, 5.0]), 3)
    assert fc.mean.shape == fc.lower.shape == fc.upper.shape == (3,)
    assert np.all(np.isfinite(fc.upper))


def test_long_horizon_forecast_in_blocks_keeps_the_cycle() -> None:
    x = seasonal(24 * 21 + 96)
    fc = forecast(x[:-96], 96, season=24)
    assert np.max(np.abs(fc.mean - x[-96:])) < 0.05 * np.ptp(x)


@pytest.mark.parametrize(
    ("values", "horizon", "match"),
    [
        (np.arange(10.0), 0, "horizon"),
        (np.array([1.0, 2.0]), 3, "at least"),
        (np.array([1.0, np.nan, 2.0, 3.0]), 2, "NaN"),
    ],
)
def test_bad_arguments_rejected(values: np.ndarray, horizon: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        forecast(values, horizon)
