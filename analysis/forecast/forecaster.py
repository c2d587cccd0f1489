"""``forecast``: point forecast plus calibrated interval for one metric series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.forecast.intervals import backtest_errors, naive_errors, step_quantiles
from analysis.forecast.point import point_forecast
from analysis.forecast.seasonality import detect_periods
from analysis.forecast.transform import choose_transform

__all__ = ["Forecast", "forecast"]

MIN_HISTORY = 3


@dataclass(frozen=True)
class Forecast:
    """Forecast for ``horizon`` steps after the last value; ``season`` is the primary
    period in steps (None when none was found), ``periods`` every period used."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    season: int | None
    periods: tuple[int, ...] = ()
    level: float = 0.8


def forecast(
    values: np.ndarray,
    horizon: int,
    season: int | None = None,
    timestamps: np.ndarray | None = None,
    level: float = 0.8,
) -> Forecast:
    """Forecast ``values`` ``horizon`` steps ahead with a central ``level`` interval.

    ``season`` (steps per cycle) is detected from the autocorrelation when omitted;
    ``timestamps`` (Unix seconds or datetime64), when given, let detection try the
    calendar day and week first.
    """
    x = np.asarray(values, dtype=float).ravel()
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    if x.size < MIN_HISTORY:
        raise ValueError(f"need at least {MIN_HISTORY} values to forecast, got {x.size}")
    if not np.all(np.isfinite(x)):
        raise ValueError("values contain NaN or infinite entries")
    if timestamps is not None and len(timestamps) != x.size:
        raise ValueError(f"{len(timestamps)} timestamps for {x.size} values")
    periods = detect_periods(x, timestamps, season)
    transform = choose_transform(x)

    def point(history: np.ndarray, steps: int) -> np.ndarray:
        return point_forecast(history, steps, periods, transform)

    mean = point(x, horizon)
    errors = backtest_errors(x, horizon, point, transform)
    if errors.shape[0] < 2:
        errors = naive_errors(transform.forward(x), horizon, periods[0] if periods else None)
    low_err, high_err = step_quantiles(errors, level)
    z = transform.forward(mean)
    lower = np.minimum(transform.inverse(z + low_err), mean)
    upper = np.maximum(transform.inverse(z + high_err), mean)
    return Forecast(
        mean=mean,
        lower=lower,
        upper=upper,
        season=periods[0] if periods else None,
        periods=periods,
        level=level,
    )
