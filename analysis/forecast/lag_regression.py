"""Direct multi-step ridge regression on the last ``lookback`` values.

Every window of the history gives one training row: its ``lookback`` inputs, centred
on the mean of their last cycle and scaled by their standard deviation, predict the
next ``block`` values on the same scale. One ridge solve fits all steps at once, so
forecasts do not feed on their own errors; horizons longer than ``block`` are
forecast block by block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.linalg import cho_factor, cho_solve

__all__ = ["RIDGE_ALPHA", "LagModel", "choose_lookback", "fit_lag_model"]

RIDGE_ALPHA = 1e-3  # penalty per training row, on standardised windows
MAX_LOOKBACK = 672  # a week of hourly data; bounds the ridge solve (cubic in this)
MAX_BLOCK = 288
MIN_LOOKBACK = 4


def choose_lookback(n: int, block: int, periods: tuple[int, ...]) -> int:
    """Longest useful input window that still leaves as many training rows as inputs.

    Prefers the longest seasonal period, then a week of primary cycles, then fewer
    cycles, then whatever the history allows.
    """
    primary = periods[0] if periods else 24
    candidates = [p for p in periods[1:] if p <= MAX_LOOKBACK]
    candidates += [c * primary for c in range(7, 0, -1) if c * primary <= MAX_LOOKBACK]
    for lookback in sorted(set(candidates), reverse=True):
        if n - lookback - block + 1 >= lookback:
            return lookback
    return max(MIN_LOOKBACK, min((n - block + 1) // 2, MAX_LOOKBACK))


@dataclass(frozen=True)
class LagModel:
    """Fitted coefficients (lookback × block) mapping a standardised window ahead."""

    coef: np.ndarray
    lookback: int
    level_span: int

    def predict(self, history: np.ndarray, horizon: int) -> np.ndarray:
        """Forecast ``horizon`` steps after ``history`` (at least ``lookback`` long)."""
        x = np.asarray(history, dtype=float)
        if x.size < self.lookback:
            raise ValueError(f"history of {x.size} points is shorter than {self.lookback}")
        out = list(x[-self.lookback :])
        produced = 0
        while produced < horizon:
            last = np.asarray(out[-self.lookback :])
            level = last[-self.level_span :].mean()
            scale = last.std() + 1e-9
            out.extend(((last - level) / scale) @ self.coef * scale + level)
            produced += self.coef.shape[1]
        return np.asarray(out[self.lookback : self.lookback + horizon])


def fit_lag_model(x: np.ndarray, horizon: int, periods: tuple[int, ...]) -> LagModel:
    """Fit the lag regression on ``x`` for forecasts of up to ``horizon`` steps a block."""
    x = np.asarray(x, dtype=float)
    primary = periods[0] if periods else 24
    block = max(1, min(horizon, 2 * primary, MAX_BLOCK, x.size // 4))
    lookback = choose_lookback(x.size, block, periods)
    if x.size < lookback + block + 1:
        raise ValueError(f"history of {x.size} points is too short for the lag regression")
    level_span = max(1, min(primary, lookback))
    windows = sliding_window_view(x, lookback + block)
    inputs, outputs = windows[:, :lookback], windows[:, lookback:]
    level = inputs[:, -level_span:].mean(axis=1, keepdims=True)
    scale = inputs.std(axis=1, keepdims=True) + 1e-9
    xn, yn = (inputs - level) / scale, (outputs - level) / scale
    gram = xn.T @ xn
    gram[np.diag_indices_from(gram)] += RIDGE_ALPHA * len(xn)
    coef = cho_solve(cho_factor(gram), xn.T @ yn)
    return LagModel(coef=np.asarray(coef), lookback=lookback, level_span=level_span)
