"""Turn a detector's raw scores into a causal, comparable score in [0, 1).

Below 0.5 the calibrated score is half the empirical CDF of the raw score among the
detector's own previous `history` raw scores (a causal tail probability). A raw score that
is an exceedance (beyond everything recent) maps into [0.5, 1), growing with its size, so
scores from different detectors share one scale and ties at the top are broken by how far
a point goes beyond its history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.detectors.trailing import past_max, past_min, scale_floor

__all__ = ["Calibration", "record_exceedance", "suppress_repeats"]


MIN_RECORD_HISTORY = 10  # real (non-zero) past scores a record needs to be one


def record_exceedance(raw: np.ndarray, history: int) -> np.ndarray:
    """How far each raw score exceeds the maximum of the previous `history`, in their range.

    A detector warming up gives zeros: a history of fewer than ``MIN_RECORD_HISTORY``
    real scores is no basis for a record (the first real score after the warm-up would
    "exceed" it enormously, on pure noise, after every new pod or restart). Then 0.
    """
    high, low = past_max(raw, history), past_min(raw, history)
    floor = scale_floor(high)
    excess = np.clip(np.nan_to_num((raw - high) / (high - low + floor)), 0.0, None)
    real = pd.Series((raw > 0).astype(float)).rolling(history, min_periods=1).sum().shift(1)
    return np.where(real.fillna(0.0).to_numpy() >= MIN_RECORD_HISTORY, excess, 0.0)


def _past_fraction_below(raw: np.ndarray, history: int) -> np.ndarray:
    series = pd.Series(raw)
    rolling = series.rolling(history + 1, min_periods=1)
    below = rolling.rank(method="min").to_numpy() - 1.0
    previous = rolling.count().to_numpy() - 1.0
    return np.where(previous > 0, below / np.maximum(previous, 1.0), 0.0)


@dataclass(frozen=True)
class Calibration:
    """`excess="raw"`: the raw score already measures exceedance (0 inside normal range);
    `excess="record"`: exceedance is measured against the raw score's own history."""

    history: int = 8000
    gain: float = 1.0
    excess: str = "raw"

    def __post_init__(self) -> None:
        if self.excess not in ("raw", "record"):
            raise ValueError(f"excess must be 'raw' or 'record', got {self.excess!r}")

    def apply(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated scores for a whole raw series (causal)."""
        beyond = raw if self.excess == "raw" else record_exceedance(raw, self.history)
        calibrated = self._combine(_past_fraction_below(raw, self.history), beyond)
        calibrated[:1] = 0.0  # nothing to compare the first point with
        return calibrated

    def apply_one(self, raw: float, past: np.ndarray) -> float:
        """Calibrated score of one raw value given the previous raw values (<= history)."""
        if len(past) == 0:
            return 0.0
        below = float(np.count_nonzero(past < raw)) / len(past)
        if self.excess == "raw":
            beyond = raw
        else:
            high, low = float(past.max()), float(past.min())
            floor = 1e-9 * (abs(high) + 1.0)
            basis = np.count_nonzero(past > 0) >= MIN_RECORD_HISTORY  # see record_exceedance
            beyond = max((raw - high) / (high - low + floor), 0.0) if basis else 0.0
        return float(self._combine(np.array([below]), np.array([beyond]))[0])

    def _combine(self, below: np.ndarray, beyond: np.ndarray) -> np.ndarray:
        boosted = self.gain * np.clip(beyond, 0.0, None)
        return np.where(boosted > 0, 0.5 + 0.5 * boosted / (1.0 + boosted), 0.5 * below)


def suppress_repeats(scores: np.ndarray, span: int, factor: float = 0.5) -> np.ndarray:
    """Keep a score only where it beats the previous `span` scores; damp repeats by `factor`.

    One anomaly then raises one alert instead of a burst.
    """
    previous = pd.Series(scores).rolling(span, min_periods=1).max().shift(1)
    return np.where(scores > previous.fillna(-np.inf).to_numpy(), scores, scores * factor)
