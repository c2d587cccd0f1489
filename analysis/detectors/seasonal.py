"""Seasonal shift: a value leaves the range of its usual difference from past periods.

The residual at t is the value minus the median of the values one, two, ... `periods`
periods earlier (same time yesterday, last week). Its `span`-point mean is scored by its
exceedance of the range of the previous `window` residual means, like `LevelShift`. A day
that goes flat, a peak that is missing or a holiday stays inside the value range but not
inside the range of seasonal residuals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.detectors.base import TrailingDetector, as_series
from analysis.detectors.level_shift import trailing_mean
from analysis.detectors.range_novelty import range_exceedance

__all__ = ["SeasonalShift", "period_points", "seasonal_residual"]

DAY_SECONDS = 86_400


def period_points(timestamps: np.ndarray, seconds: float) -> int | None:
    """Points per `seconds` at the median sampling step, or None when under 4 points.

    `timestamps` are epoch seconds (numbers) or numpy datetimes, in series order.
    """
    stamps = np.asarray(timestamps)
    if np.issubdtype(stamps.dtype, np.datetime64):
        stamps = stamps.astype("datetime64[ns]").astype(np.int64) / 1e9
    steps = np.diff(stamps.astype(float))
    steps = steps[steps > 0]
    if steps.size == 0:
        return None
    points = int(round(seconds / float(np.median(steps))))
    return points if points >= 4 else None


def seasonal_residual(values: np.ndarray, period: int, periods: int) -> np.ndarray:
    """Value minus the median of the values 1..`periods` periods earlier (those that exist).

    0 where no earlier period exists yet.
    """
    if period < 1 or periods < 1:
        raise ValueError(f"period and periods must be >= 1, got {period}, {periods}")
    n = len(values)
    earlier = np.full((periods, n), np.nan)
    for k in range(1, periods + 1):
        lag = k * period
        if lag < n:
            earlier[k - 1, lag:] = values[: n - lag]
    seen = np.isfinite(earlier).any(axis=0)
    reference = np.zeros(n)
    reference[seen] = np.nanmedian(earlier[:, seen], axis=0)
    return np.where(seen, values - reference, 0.0)


@dataclass
class SeasonalShift(TrailingDetector):
    """Range exceedance of the `span`-mean seasonal residual; 0 until one period of
    residuals (after `periods` periods of data) has been seen."""

    period: int = 288
    periods: int = 5
    span: int = 6
    window: int = 8000
    name: str = "seasonal_shift"

    def __post_init__(self) -> None:
        if self.period < 2 or self.periods < 1 or self.span < 1:
            raise ValueError(
                f"need period >= 2, periods >= 1, span >= 1; got "
                f"{self.period}, {self.periods}, {self.span}"
            )

    @property
    def lookback(self) -> int:
        return self.window + self.span + self.periods * self.period

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        if len(x) == 0:
            return x
        residual = seasonal_residual(x, self.period, self.periods)
        scores = range_exceedance(trailing_mean(residual, self.span), self.window)
        scores[: (self.periods + 1) * self.period] = 0.0
        return scores
