"""The shape every detector shares: a causal vectorised `score` and a streaming `update`."""

from __future__ import annotations

from collections import deque
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["Detector", "TrailingDetector", "as_series"]


@runtime_checkable
class Detector(Protocol):
    """A causal anomaly detector.

    `score(values)[t]` uses only `values[: t + 1]`; `update(value)` returns the same number
    for the next point of a stream while keeping bounded state.
    """

    name: str

    def score(self, values: np.ndarray) -> np.ndarray: ...

    def update(self, value: float) -> float: ...

    def reset(self) -> None: ...


def as_series(values: np.ndarray) -> np.ndarray:
    """Validate a 1-D finite float series."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"expected a 1-D series, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("series contains NaN or infinite values")
    return array


class TrailingDetector:
    """Base for detectors whose score at t depends only on the last `lookback` values.

    Streaming keeps those values in a bounded buffer and scores the buffer, so the stream
    gives exactly the window-mode score.
    """

    name = "trailing"

    @property
    def lookback(self) -> int:
        raise NotImplementedError

    def score(self, values: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def update(self, value: float) -> float:
        buffer = self.__dict__.setdefault("_buffer", deque(maxlen=self.lookback + 1))
        buffer.append(float(value))
        return float(self.score(np.fromiter(buffer, dtype=float))[-1])

    def reset(self) -> None:
        self.__dict__.pop("_buffer", None)
