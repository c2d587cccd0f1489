"""Missing samples: lost scrapes, a target down for a while, a Prometheus hiccup."""

from __future__ import annotations

import numpy as np

__all__ = ["punch_gaps"]


def punch_gaps(entities: list[str], values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``values`` (series x steps) with some samples set to NaN: scattered lost scrapes
    (0-3 %), sometimes one target silent for 2-6 steps, sometimes every target for 1-2."""
    out = values.copy()
    steps = values.shape[1]
    out[rng.random(values.shape) < rng.uniform(0.0, 0.03)] = np.nan
    if rng.random() < 0.3:
        target = entities[int(rng.integers(len(entities)))]
        at, length = int(rng.integers(steps)), int(rng.integers(2, 7))
        rows = [i for i, entity in enumerate(entities) if entity == target]
        out[rows, at : at + length] = np.nan
    if rng.random() < 0.15:
        at = int(rng.integers(steps))
        out[:, at : at + int(rng.integers(1, 3))] = np.nan
    return out
