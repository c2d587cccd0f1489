"""Out-of-range novelty: how far a value falls outside the range seen recently."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.detectors.base import TrailingDetector, as_series
from analysis.detectors.trailing import past_max, past_min, scale_floor

__all__ = ["RangeNovelty", "range_exceedance"]


def range_exceedance(values: np.ndarray, window: int) -> np.ndarray:
    """Distance beyond [min, max] of the previous `window` values, in units of that range."""
    low, high = past_min(values, window), past_max(values, window)
    excess = np.maximum(values - high, low - values) / (high - low + scale_floor(high))
    return np.clip(np.nan_to_num(excess), 0.0, None)


@dataclass
class RangeNovelty(TrailingDetector):
    """Exceedance of the trailing `window` range; 0 inside the range."""

    window: int = 8000
    min_history: int = 10
    name: str = "range_novelty"

    @property
    def lookback(self) -> int:
        return self.window

    def score(self, values: np.ndarray) -> np.ndarray:
        scores = range_exceedance(as_series(values), self.window)
        scores[: self.min_history] = 0.0
        return scores
