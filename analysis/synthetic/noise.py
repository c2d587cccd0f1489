"""Noise and seasonality of synthetic series."""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

__all__ = ["ar1", "daily_season", "log_uniform"]

DAY_SECONDS = 86_400.0


def ar1(
    rows: int,
    length: int,
    sigma: float | np.ndarray,
    rng: np.random.Generator,
    rho: float = 0.7,
) -> np.ndarray:
    """``rows`` series of AR(1) noise with stationary standard deviation ``sigma`` (one
    for all rows, or one per row)."""
    scale = np.broadcast_to(np.asarray(sigma, dtype=float), (rows,))
    shocks = rng.standard_normal((rows, length)) * (scale * np.sqrt(1 - rho**2))[:, None]
    shocks[:, 0] = rng.standard_normal(rows) * scale
    return lfilter([1.0], [1.0, -rho], shocks, axis=1)


def log_uniform(low: float, high: float, rng: np.random.Generator) -> float:
    """A magnitude between ``low`` and ``high``, small ones as likely as large ones."""
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def daily_season(seconds: np.ndarray, amplitude: float, peak_hour: float) -> np.ndarray:
    """Factor around 1 with a daily cycle peaking at ``peak_hour`` (UTC)."""
    phase = 2 * np.pi * (seconds % DAY_SECONDS - peak_hour * 3600) / DAY_SECONDS
    return 1 + amplitude * np.cos(phase)
