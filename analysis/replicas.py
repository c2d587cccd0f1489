"""Replica recommendation from a load forecast.

Sizing: enough replicas to serve the forecast peak plus ``headroom``, and at least
enough to serve the upper bound of the prediction interval at any step without
headroom; the result is clamped to ``[min_replicas, max_replicas]``. Per-pod capacity
comes from configuration or is learned from history as the 95th percentile of the
observed requests per replica (the load each replica has demonstrably served).

``Recommendation.reason`` is a code for the caller to translate, one of
``REASONS``: ``peak_headroom`` (the headroom rule decided), ``interval_upper`` (the
interval's upper bound decided), ``min_replicas`` / ``max_replicas`` (clamped).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.forecast import Forecast

__all__ = [
    "REASONS",
    "Recommendation",
    "forecast_confidence",
    "learn_capacity",
    "recommend_replicas",
]

REASONS = ("peak_headroom", "interval_upper", "min_replicas", "max_replicas")
CAPACITY_QUANTILE = 0.95


@dataclass(frozen=True)
class Recommendation:
    replicas: int
    peak_qps: float
    peak_time_index: int
    confidence: float
    per_pod_capacity: float
    reason: str


def learn_capacity(history_qps: np.ndarray, history_replicas: np.ndarray) -> float:
    """Requests per replica served at busy times: the 95th percentile of qps / replicas."""
    qps = np.asarray(history_qps, dtype=float).ravel()
    reps = np.asarray(history_replicas, dtype=float).ravel()
    if qps.size != reps.size:
        raise ValueError(f"{qps.size} qps samples for {reps.size} replica samples")
    ok = np.isfinite(qps) & np.isfinite(reps) & (reps > 0) & (qps >= 0)
    if not ok.any():
        raise ValueError("history has no sample with a positive replica count")
    capacity = float(np.quantile(qps[ok] / reps[ok], CAPACITY_QUANTILE))
    if capacity <= 0:
        raise ValueError("history shows no load per replica; pass per_pod_capacity")
    return capacity


def forecast_confidence(fc: Forecast) -> float:
    """1 / (1 + mean relative interval width): 1 for a sharp forecast, toward 0 as the
    interval grows relative to the forecast level."""
    scale = max(float(np.mean(np.abs(fc.mean))), 1e-12)
    width = float(np.mean(np.asarray(fc.upper) - np.asarray(fc.lower))) / scale
    return 1.0 / (1.0 + max(width, 0.0))


def recommend_replicas(
    forecast: Forecast,
    per_pod_capacity: float | None,
    history_qps: np.ndarray | None = None,
    history_replicas: np.ndarray | None = None,
    min_replicas: int = 1,
    max_replicas: int = 50,
    headroom: float = 0.2,
) -> Recommendation:
    """Replicas needed for ``forecast`` (a request-rate forecast, in qps)."""
    if not 1 <= min_replicas <= max_replicas:
        raise ValueError(
            f"need 1 <= min_replicas <= max_replicas, got {min_replicas}, {max_replicas}"
        )
    if headroom < 0:
        raise ValueError(f"headroom must be >= 0, got {headroom}")
    if np.asarray(forecast.mean).size == 0:
        raise ValueError("forecast has no steps")
    if per_pod_capacity is None:
        if history_qps is None or history_replicas is None:
            raise ValueError("pass per_pod_capacity or both history_qps and history_replicas")
        per_pod_capacity = learn_capacity(history_qps, history_replicas)
    if not per_pod_capacity > 0:
        raise ValueError(f"per_pod_capacity must be positive, got {per_pod_capacity}")
    mean = np.asarray(forecast.mean, dtype=float)
    peak_index = int(np.argmax(mean))
    peak = float(mean[peak_index])
    by_peak = math.ceil(max(peak, 0.0) * (1.0 + headroom) / per_pod_capacity)
    by_upper = math.ceil(max(float(np.max(forecast.upper)), 0.0) / per_pod_capacity)
    needed, reason = (
        (by_upper, "interval_upper") if by_upper > by_peak else (by_peak, "peak_headroom")
    )
    if needed < min_replicas:
        needed, reason = min_replicas, "min_replicas"
    elif needed > max_replicas:
        needed, reason = max_replicas, "max_replicas"
    return Recommendation(
        replicas=needed,
        peak_qps=peak,
        peak_time_index=peak_index,
        confidence=forecast_confidence(forecast),
        per_pod_capacity=float(per_pod_capacity),
        reason=reason,
    )
