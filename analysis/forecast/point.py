"""Point forecast: the median of a seasonal naive forecast and two lag regressions.

The two regressions run on the log-transformed and on the raw series; the median of
the three keeps the forecast robust when one model misreads a series (measured on M4
hourly in benchmarks/results/forecast.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.forecast.lag_regression import LagModel, fit_lag_model
from analysis.forecast.transform import Transform

__all__ = ["PointModel", "fit_point_model", "seasonal_naive"]


def seasonal_naive(x: np.ndarray, horizon: int, season: int | None) -> np.ndarray:
    """Repeat the last cycle (the last value when there is no season)."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("seasonal naive needs at least one value")
    m = season if season and season <= x.size else 1
    return np.resize(x[-m:], horizon)


@dataclass(frozen=True)
class PointModel:
    """Members fitted once, applicable to any later history of the same series."""

    season: int | None
    transform: Transform
    raw: LagModel | None
    transformed: LagModel | None
    non_negative: bool

    def predict(self, history: np.ndarray, horizon: int) -> np.ndarray:
        """Median of the members' forecasts of ``horizon`` steps after ``history``."""
        x = np.asarray(history, dtype=float)
        members = [seasonal_naive(x, horizon, self.season)]
        if self.raw is not None:
            members.append(self.raw.predict(x, horizon))
        if self.transformed is not None:
            z = self.transformed.predict(self.transform.forward(x), horizon)
            members.append(self.transform.inverse(z))
        mean = np.median(np.vstack(members), axis=0)
        return np.maximum(mean, 0.0) if self.non_negative else mean


def fit_point_model(
    x: np.ndarray, horizon: int, periods: tuple[int, ...], transform: Transform
) -> PointModel:
    """Fit the lag regressions on ``x`` (both skipped when the history is too short)."""
    x = np.asarray(x, dtype=float)
    raw = transformed = None
    try:
        raw = fit_lag_model(x, horizon, periods)
        if transform.log:
            transformed = fit_lag_model(transform.forward(x), horizon, periods)
    except ValueError:
        raw = transformed = None  # history too short: seasonal naive alone
    return PointModel(
        season=periods[0] if periods else None,
        transform=transform,
        raw=raw,
        transformed=transformed,
        non_negative=bool(x.min() >= 0),
    )
