"""Prediction intervals from rolling-origin backtests (split conformal per horizon step).

The point model is refitted once on the history before the earliest of ``origins``
cut-off points and forecasts from every cut-off, so each error is out of sample; the
errors, measured in the transformed space (log ratios for load series), give the
quantiles of each horizon step, pooled over neighbouring steps so that a handful of
origins still yields enough errors.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.forecast.point import PointModel
from analysis.forecast.transform import Transform

__all__ = ["ORIGINS", "backtest_errors", "naive_errors", "step_quantiles"]

ORIGINS = 12
MAX_POOL_HALF_WIDTH = 12  # steps pooled on each side of a horizon step
MAX_NAIVE_ERRORS = 240
FitFn = Callable[[np.ndarray], PointModel]


def backtest_errors(
    x: np.ndarray, horizon: int, fit: FitFn, transform: Transform, origins: int = ORIGINS
) -> np.ndarray:
    """Errors (origins × horizon) of forecasts made from earlier cut-offs."""
    x = np.asarray(x, dtype=float)
    spacing = max(1, horizon // 4)
    cuts = [x.size - horizon - j * spacing for j in range(origins)]
    cuts = [c for c in cuts if c >= max(8, x.size // 2)]
    if not cuts:
        return np.empty((0, horizon))
    model = fit(x[: min(cuts)])
    rows = [
        transform.forward(x[c : c + horizon]) - transform.forward(model.predict(x[:c], horizon))
        for c in cuts
    ]
    return np.vstack(rows)


def step_quantiles(errors: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper error quantiles per step for a central ``level`` interval."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    k, horizon = errors.shape
    if k == 0:
        return np.full(horizon, -np.inf), np.full(horizon, np.inf)
    tail = (1.0 - level) / 2.0
    half = max(1, min(horizon // 12, MAX_POOL_HALF_WIDTH))
    lower, upper = np.empty(horizon), np.empty(horizon)
    for step in range(horizon):
        pool = errors[:, max(0, step - half) : step + half + 1].ravel()
        n = pool.size
        # finite-sample conformal correction: widen the quantile levels slightly
        lo_q = max(0.0, np.floor(tail * (n + 1)) / n - 1.0 / n)
        hi_q = min(1.0, np.ceil((1.0 - tail) * (n + 1)) / n)
        lower[step] = np.quantile(pool, lo_q)
        upper[step] = np.quantile(pool, hi_q)
    return lower, upper


def naive_errors(z: np.ndarray, horizon: int, season: int | None) -> np.ndarray:
    """Stand-in errors when the history is too short to backtest: in-sample differences
    at the seasonal lag (the last-value lag without a season), widened with sqrt(step)
    beyond one cycle."""
    z = np.asarray(z, dtype=float)
    lag = season if season and season < z.size else 1
    diffs = z[lag:] - z[:-lag] if z.size > lag else np.zeros(1)
    diffs = diffs[-MAX_NAIVE_ERRORS:]
    growth = np.sqrt(np.maximum(1.0, np.arange(1, horizon + 1) / lag))
    return diffs[:, None] * growth[None, :]
