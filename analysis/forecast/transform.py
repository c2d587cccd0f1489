"""Variance-stabilising transform: log for non-negative load series, identity otherwise.

Request rates and CPU are non-negative and their swings grow with their level, so
models and intervals work on ``log(x + offset)``; the offset keeps zeros finite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Transform", "choose_transform"]

ZERO_OFFSET_SHARE = 0.1


@dataclass(frozen=True)
class Transform:
    """``forward``/``inverse`` pair; ``log`` False means identity."""

    log: bool
    offset: float = 0.0

    def forward(self, x: np.ndarray) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        return np.log(np.maximum(arr + self.offset, 1e-300)) if self.log else arr

    def inverse(self, z: np.ndarray) -> np.ndarray:
        arr = np.asarray(z, dtype=float)
        if not self.log:
            return arr
        return np.maximum(np.exp(np.minimum(arr, 700.0)) - self.offset, 0.0)


def choose_transform(values: np.ndarray) -> Transform:
    """Log (shifted when zeros occur) for non-negative series with a positive mean."""
    x = np.asarray(values, dtype=float)
    if x.size == 0 or x.min() < 0 or not x.mean() > 0:
        return Transform(log=False)
    if x.min() > 0:
        return Transform(log=True)
    return Transform(log=True, offset=ZERO_OFFSET_SHARE * float(x.mean()))
