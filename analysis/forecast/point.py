"""Point forecast: the median of a seasonal naive forecast and two lag regressions.

The two regressions run on the log-transformed and on the raw series; the median of
the three keeps the forecast robust when one model misreads a series (measured on M4
hourly in benchmarks/results/forecast.md).
"""

from __future__ import annotations

import numpy as np

from analysis.forecast.lag_regression import ridge_forecast
from analysis.forecast.transform import Transform

__all__ = ["point_forecast", "seasonal_naive"]


def seasonal_naive(x: np.ndarray, horizon: int, season: int | None) -> np.ndarray:
    """Repeat the last cycle (the last value when there is no season)."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("seasonal naive needs at least one value")
    m = season if season and season <= x.size else 1
    return np.resize(x[-m:], horizon)


def point_forecast(
    x: np.ndarray, horizon: int, periods: tuple[int, ...], transform: Transform
) -> np.ndarray:
    """Median of seasonal naive, ridge on ``transform(x)`` and ridge on ``x``."""
    x = np.asarray(x, dtype=float)
    season = periods[0] if periods else None
    members = [seasonal_naive(x, horizon, season)]
    try:
        members.append(ridge_forecast(x, horizon, periods))
        if transform.log:
            members.append(transform.inverse(ridge_forecast(transform.forward(x), horizon, periods)))
    except ValueError:
        pass  # history too short for the regression: seasonal naive alone
    mean = np.median(np.vstack(members), axis=0)
    return np.maximum(mean, 0.0) if x.min() >= 0 else mean
