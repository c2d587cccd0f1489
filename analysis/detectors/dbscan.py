"""DBSCAN density test: how far a point is from being a core point of the recent past.

DBSCAN calls a point noise when fewer than `min_samples` neighbours lie within `eps`.
The score is the smallest `eps` that would make the point a core point among the previous
`window` values (its distance to the `min_samples`-th nearest of them), in units of their
interquartile range, so a score above the DBSCAN `eps` means "noise".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from analysis.detectors.base import TrailingDetector, as_series
from analysis.detectors.trailing import past_quantile, scale_floor

__all__ = ["DbscanNoise"]

CHUNK_ROWS = 8192


@dataclass
class DbscanNoise(TrailingDetector):
    """Core distance to the previous `window` values, scaled by their IQR."""

    window: int = 200
    min_samples: int = 5
    name: str = "dbscan"

    @property
    def lookback(self) -> int:
        return self.window

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        scores = np.zeros(len(x))
        if len(x) <= self.min_samples:
            return scores
        padded = np.concatenate([np.full(self.window, np.inf), x])
        past = sliding_window_view(padded[:-1], self.window)  # row t: the values before t
        for start in range(self.min_samples, len(x), CHUNK_ROWS):
            rows = slice(start, min(start + CHUNK_ROWS, len(x)))
            distance = np.abs(past[rows] - x[rows, None])
            kth = np.partition(distance, self.min_samples - 1, axis=1)[:, self.min_samples - 1]
            scores[rows] = kth
        q1 = past_quantile(x, self.window, 0.25)
        q3 = past_quantile(x, self.window, 0.75)
        scores = scores / (np.nan_to_num(q3 - q1) + scale_floor(q3))
        return np.nan_to_num(scores, posinf=0.0)
