"""Level shift: the mean of the last few values leaves the range of past short means."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from analysis.detectors.base import TrailingDetector, as_series
from analysis.detectors.range_novelty import range_exceedance

__all__ = ["LevelShift", "trailing_mean"]


def trailing_mean(values: np.ndarray, span: int) -> np.ndarray:
    """Mean of the last `span` values up to each point (fewer at the start), exact per point."""
    padded = np.concatenate([np.full(span - 1, np.nan), values])
    return np.nanmean(sliding_window_view(padded, span), axis=1)


@dataclass
class LevelShift(TrailingDetector):
    """Range exceedance of the `span`-point mean against the previous `window` means."""

    span: int = 6
    window: int = 8000
    min_history: int = 10
    name: str = "level_shift"

    @property
    def lookback(self) -> int:
        return self.window + self.span

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        if len(x) == 0:
            return x
        scores = range_exceedance(trailing_mean(x, self.span), self.window)
        scores[: self.min_history] = 0.0
        return scores
