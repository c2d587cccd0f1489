"""Robust z-score: distance from the trailing median in units of the trailing MAD."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.detectors.base import TrailingDetector, as_series
from analysis.detectors.trailing import past_median, scale_floor

__all__ = ["RobustZScore"]

MAD_TO_SIGMA = 1.4826


@dataclass
class RobustZScore(TrailingDetector):
    """|x - median| / (1.4826 * MAD) over the previous `window` values; 0 at the start."""

    window: int = 800
    min_history: int = 10
    name: str = "robust_zscore"

    @property
    def lookback(self) -> int:
        return 2 * self.window

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        median = past_median(x, self.window)
        deviation = np.abs(x - median)
        mad = past_median(deviation, self.window)
        z = np.nan_to_num(deviation / (MAD_TO_SIGMA * np.nan_to_num(mad) + scale_floor(median)))
        z[: self.min_history] = 0.0
        return z
