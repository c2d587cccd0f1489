"""Isolation Forest refitted on a trailing window at fixed intervals.

The model used for the points in [k*refit, (k+1)*refit) is fitted only on the `window`
values before k*refit, so every score is causal. Features: value and first difference.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from analysis.detectors.base import as_series

if TYPE_CHECKING:  # scikit-learn takes most of a second to import: only when fitting
    from sklearn.ensemble import IsolationForest as SkIsolationForest

__all__ = ["IsolationForest"]


def _features(values: np.ndarray) -> np.ndarray:
    return np.column_stack([values, np.diff(values, prepend=values[:1])])


@dataclass
class IsolationForest:
    """Anomaly score = -(sklearn score_samples) - 0.5, i.e. > 0 for isolated points."""

    window: int = 1000
    refit: int = 1000
    min_history: int = 50
    n_estimators: int = 50
    seed: int = 0
    name: str = "isolation_forest"
    _buffer: deque[float] = field(default_factory=deque, init=False, repr=False)
    _model: SkIsolationForest | None = field(default=None, init=False, repr=False)
    _seen: int = field(default=0, init=False, repr=False)

    def _fit(self, history: np.ndarray) -> SkIsolationForest | None:
        if len(history) < self.min_history:
            return None
        from sklearn.ensemble import IsolationForest as SkIsolationForest

        model = SkIsolationForest(
            n_estimators=self.n_estimators,
            max_samples=min(256, len(history)),
            random_state=self.seed,
        )
        return model.fit(_features(history))

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        scores = np.zeros(len(x))
        for start in range(0, len(x), self.refit):
            model = self._fit(x[max(0, start - self.window) : start])
            if model is None:
                continue
            stop = min(start + self.refit, len(x))
            block = _features(x[max(0, start - 1) : stop])[-(stop - start) :]
            scores[start:stop] = -model.score_samples(block) - 0.5
        return scores

    def update(self, value: float) -> float:
        if self._seen % self.refit == 0:
            self._model = self._fit(np.fromiter(self._buffer, dtype=float))
        previous = self._buffer[-1] if self._buffer else float(value)
        self._buffer.append(float(value))
        while len(self._buffer) > self.window:
            self._buffer.popleft()
        self._seen += 1
        if self._model is None:
            return 0.0
        point = np.array([[float(value), float(value) - previous]])
        return float(-self._model.score_samples(point)[0] - 0.5)

    def reset(self) -> None:
        self._buffer.clear()
        self._model = None
        self._seen = 0
