"""How anomalies spread: lead-lag correlation graph and personalised PageRank.

A series whose departure precedes and correlates with the departures of others is
more likely the cause. As in MicroRCA, a random walk goes from each effect to its
likely causes and restarts in proportion to anomaly strength; the walk settles on
the series that explain the others.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cause_graph", "lagged_correlation", "personalised_pagerank"]


def _standardise(rows: np.ndarray) -> np.ndarray:
    centred = rows - rows.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(centred, axis=1, keepdims=True)
    return np.divide(centred, norm, out=np.zeros_like(centred), where=norm > 0)


def lagged_correlation(series: np.ndarray, lag: int) -> np.ndarray:
    """``out[i, j]`` = Pearson correlation of ``series[i, t]`` with ``series[j, t + lag]``."""
    if lag < 0:
        return lagged_correlation(series, -lag).T
    length = series.shape[1]
    if lag >= length - 2:
        return np.zeros((len(series), len(series)))
    leader = _standardise(series[:, : length - lag])
    follower = _standardise(series[:, lag:])
    return np.asarray(leader @ follower.T)


def cause_graph(series: np.ndarray, onsets: np.ndarray, max_lag: int = 2) -> np.ndarray:
    """``weight[i, j]`` > 0 when series i plausibly drives series j.

    The weight is the best positive correlation of i leading j by 0..max_lag steps; it
    is kept only when i's onset is not later than j's and, on equal onsets, when i
    leads j more than j leads i.
    """
    n = len(series)
    same_time = lagged_correlation(series, 0)
    ahead = np.max([lagged_correlation(series, lag) for lag in range(1, max_lag + 1)], axis=0)
    best = np.clip(np.maximum(same_time, ahead), 0.0, None)
    earlier = onsets[:, None] < onsets[None, :]
    tied = onsets[:, None] == onsets[None, :]
    leads = ahead > ahead.T
    weight = np.where(earlier | (tied & leads), best, 0.0)
    weight[np.arange(n), np.arange(n)] = 0.0
    return weight


def personalised_pagerank(
    weight: np.ndarray, restart: np.ndarray, damping: float = 0.85, rounds: int = 50
) -> np.ndarray:
    """Stationary visit share of a walk from effects to causes (``weight[cause, effect]``).

    ``restart`` (non-negative, any scale) is where the walk restarts; an effect with no
    cause restarts too. Returns shares summing to 1.
    """
    n = len(restart)
    if n == 0:
        return np.zeros(0)
    total = restart.sum()
    prior = restart / total if total > 0 else np.full(n, 1.0 / n)
    to_cause = weight.T  # row: effect, column: cause
    out = to_cause.sum(axis=1, keepdims=True)
    step = np.divide(to_cause, out, out=np.zeros_like(to_cause), where=out > 0)
    dangling = out[:, 0] == 0
    rank = prior.copy()
    for _ in range(rounds):
        spread = damping * (rank @ step) + damping * rank[dangling].sum() * prior
        rank = spread + (1.0 - damping) * prior
    return np.asarray(rank / rank.sum())
