"""The published NAB scoring: sweep scores, corpus-wide threshold choice, normalisation.

Follows numenta/NAB (nab/sweeper.py, nab/optimizer.py, nab/runner.py) at commit ea702d75:
every row past the probationary period is a candidate detection; a window is credited once
with the best (earliest) detected row, a row outside windows costs the fp weight scaled by
its distance after the preceding window; the threshold is the one that maximises the total
over the whole corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CorpusScore",
    "normalized_score",
    "probationary_length",
    "scaled_sigmoid",
    "score_corpus",
    "sweep_scores",
]

PROBATION_PERCENT = 0.15


def scaled_sigmoid(position: np.ndarray) -> np.ndarray:
    """2*sigmoid(-5x) - 1, and exactly -1 for positions beyond 3 window widths."""
    position = np.asarray(position, dtype=float)
    value = 2.0 / (1.0 + np.exp(5.0 * position)) - 1.0
    return np.where(position > 3.0, -1.0, value)


def probationary_length(n_rows: int) -> int:
    """First rows that are not scored: 15 % of the file, at most 750 rows."""
    return int(min(np.floor(PROBATION_PERCENT * n_rows), PROBATION_PERCENT * 5000))


def sweep_scores(
    n_rows: int, windows: Sequence[tuple[int, int]], cost: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row NAB weight if that row were a detection, and its window index (-1: none)."""
    index = np.arange(n_rows)
    window_of = np.full(n_rows, -1)
    sweep = np.full(n_rows, -cost["fpWeight"])  # before the first window: far-away FP
    max_tp = float(scaled_sigmoid(np.array(-1.0)))
    for k, (left, right) in enumerate(windows):
        width = right - left + 1
        inside = index[left : right + 1]
        window_of[left : right + 1] = k
        position = -(right - inside + 1) / width
        sweep[left : right + 1] = scaled_sigmoid(position) * cost["tpWeight"] / max_tp
        stop = windows[k + 1][0] if k + 1 < len(windows) else n_rows
        after = index[right + 1 : stop]
        sweep[right + 1 : stop] = scaled_sigmoid((after - right) / (width - 1)) * cost["fpWeight"]
    return sweep, window_of


@dataclass(frozen=True)
class CorpusScore:
    """Best raw corpus score for one profile, its threshold and per-file raw scores."""

    raw: float
    threshold: float
    per_file: dict[str, float]


def _scored_rows(
    files: Sequence[tuple[str, np.ndarray, Sequence[tuple[int, int]]]], cost: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    scores, sweeps, window_ids, file_ids = [], [], [], []
    next_window = 0
    for f, (_, anomaly, windows) in enumerate(files):
        sweep, window_of = sweep_scores(len(anomaly), windows, cost)
        start = probationary_length(len(anomaly))
        window_of = np.where(window_of >= 0, window_of + next_window, -1)
        next_window += len(windows)
        scores.append(np.asarray(anomaly, dtype=float)[start:])
        sweeps.append(sweep[start:])
        window_ids.append(window_of[start:])
        file_ids.append(np.full(len(anomaly) - start, f))
    return (
        np.concatenate(scores),
        np.concatenate(sweeps),
        np.concatenate(window_ids),
        np.concatenate(file_ids),
    )


def _gains(sweep: np.ndarray, window_id: np.ndarray, fn_weight: float) -> np.ndarray:
    """Score change of each row, in descending-score order, when it becomes a detection."""
    gains = np.where(window_id < 0, sweep, 0.0)
    in_window = window_id >= 0
    best = pd.Series(sweep[in_window]).groupby(window_id[in_window]).cummax().to_numpy()
    previous = pd.Series(best).groupby(window_id[in_window]).shift(1).to_numpy()
    previous = np.where(np.isnan(previous), -fn_weight, previous)
    gains[in_window] = best - previous
    return gains


def score_corpus(
    files: Sequence[tuple[str, np.ndarray, Sequence[tuple[int, int]]]], cost: dict[str, float]
) -> CorpusScore:
    """Sweep every threshold over the whole corpus; return the best total (NAB optimiser)."""
    score, sweep, window_id, file_id = _scored_rows(files, cost)
    order = np.argsort(-score, kind="stable")
    score, sweep, window_id, file_id = score[order], sweep[order], window_id[order], file_id[order]
    n_windows = len(np.unique(window_id[window_id >= 0]))
    gains = _gains(sweep, window_id, cost["fnWeight"])
    totals = -cost["fnWeight"] * n_windows + np.cumsum(gains)
    ends = np.flatnonzero(np.append(score[1:] != score[:-1], True))
    candidates = np.concatenate([[-cost["fnWeight"] * n_windows], totals[ends]])
    best = int(np.argmax(candidates))
    threshold = 1.1 if best == 0 else float(score[ends[best - 1]])
    detected = np.zeros(len(score), dtype=bool)
    if best > 0:
        detected[: ends[best - 1] + 1] = True
    per_file = _per_file(files, cost, gains, file_id, detected, window_id)
    return CorpusScore(float(candidates[best]), threshold, per_file)


def _per_file(
    files: Sequence[tuple[str, np.ndarray, Sequence[tuple[int, int]]]],
    cost: dict[str, float],
    gains: np.ndarray,
    file_id: np.ndarray,
    detected: np.ndarray,
    window_id: np.ndarray,
) -> dict[str, float]:
    windows_of_file = (
        pd.Series(window_id[window_id >= 0]).groupby(file_id[window_id >= 0]).nunique()
    )
    gained = np.bincount(file_id[detected], weights=gains[detected], minlength=len(files))
    return {
        name: float(gained[f] - cost["fnWeight"] * windows_of_file.get(f, 0))
        for f, (name, _, _) in enumerate(files)
    }


def normalized_score(raw: float, null_raw: float, n_windows: int, tp_weight: float) -> float:
    """100 * (raw - null) / (perfect - null), perfect being every window hit at its left edge."""
    perfect = n_windows * tp_weight
    return 100.0 * (raw - null_raw) / (perfect - null_raw)
