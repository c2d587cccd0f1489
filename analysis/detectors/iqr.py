"""Interquartile-range (Tukey fence) detector over a trailing window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.detectors.base import TrailingDetector, as_series
from analysis.detectors.trailing import past_quantile, scale_floor

__all__ = ["InterquartileRange"]


@dataclass
class InterquartileRange(TrailingDetector):
    """Distance beyond [Q1, Q3] of the previous `window` values, in IQR units.

    A score above 1.5 is outside Tukey's classic fences.
    """

    window: int = 800
    min_history: int = 10
    name: str = "iqr"

    @property
    def lookback(self) -> int:
        return self.window

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        q1, q3 = past_quantile(x, self.window, 0.25), past_quantile(x, self.window, 0.75)
        excess = np.maximum(x - q3, q1 - x) / (q3 - q1 + scale_floor(q3))
        scores = np.clip(np.nan_to_num(excess), 0.0, None)
        scores[: self.min_history] = 0.0
        return scores
