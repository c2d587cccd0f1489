"""Trailing-window statistics that see only past values (the current point excluded)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["past_max", "past_median", "past_min", "past_quantile", "scale_floor"]


def _rolling(values: np.ndarray, window: int) -> pd.api.typing.Rolling:
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    return pd.Series(values).rolling(window, min_periods=1)


def _shifted(statistic: pd.Series) -> np.ndarray:
    return statistic.shift(1).to_numpy(dtype=float)


def past_median(values: np.ndarray, window: int) -> np.ndarray:
    """Median of the `window` values before each point (NaN at the first point)."""
    return _shifted(_rolling(values, window).median())


def past_quantile(values: np.ndarray, window: int, q: float) -> np.ndarray:
    """Quantile `q` of the `window` values before each point."""
    return _shifted(_rolling(values, window).quantile(q))


def past_max(values: np.ndarray, window: int) -> np.ndarray:
    """Maximum of the `window` values before each point."""
    return _shifted(_rolling(values, window).max())


def past_min(values: np.ndarray, window: int) -> np.ndarray:
    """Minimum of the `window` values before each point."""
    return _shifted(_rolling(values, window).min())


def scale_floor(level: np.ndarray) -> np.ndarray:
    """A tiny positive scale so flat history never divides by zero."""
    return 1e-9 * (np.abs(np.nan_to_num(level)) + 1.0)
