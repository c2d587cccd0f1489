"""``forecast``: point forecast plus calibrated interval for one metric series."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from threadpoolctl import ThreadpoolController

from analysis.forecast.intervals import backtest_errors, naive_errors, step_quantiles
from analysis.forecast.point import PointModel, fit_point_model
from analysis.forecast.seasonality import detect_periods
from analysis.forecast.transform import choose_transform

__all__ = ["Forecast", "forecast"]

MIN_HISTORY = 3


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """The BLAS thread pools. The matrices here are small (a few hundred rows), and a
    multi-threaded BLAS on a busy machine made each solve ~100x slower, so forecasts
    run single-threaded (threadpoolctl comes with scikit-learn)."""
    return ThreadpoolController()


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
    with _blas().limit(limits=1, user_api="blas"):
        return _forecast(x, horizon, season, timestamps, level)


def _forecast(
    x: np.ndarray, horizon: int, season: int | None, timestamps: np.ndarray | None, level: float
) -> Forecast:
    periods = detect_periods(x, timestamps, season)
    transform = choose_transform(x)

    def fit(history: np.ndarray) -> PointModel:
        return fit_point_model(history, horizon, periods, transform)

    mean = fit(x).predict(x, horizon)
    errors = backtest_errors(x, horizon, fit, transform)
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
