"""Replica recommendation: bounds, headroom, learned capacity, confidence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.forecast import Forecast, forecast
from analysis.replicas import learn_capacity, recommend_replicas


def flat(mean: list[float], spread: float) -> Forecast:
    m = np.asarray(mean, dtype=float)
    return Forecast(mean=m, lower=m * (1 - spread), upper=m * (1 + spread), season=None)


def test_peak_plus_headroom_sets_replicas() -> None:
    fc = flat([100.0, 450.0, 300.0], spread=0.05)
    rec = recommend_replicas(fc, per_pod_capacity=50.0, headroom=0.2)
    assert rec.peak_qps == 450.0 and rec.peak_time_index == 1
    assert rec.replicas == math.ceil(450 * 1.2 / 50)
    assert rec.reason == "peak_headroom"


def test_more_headroom_never_fewer_replicas() -> None:
    fc = flat([100.0, 450.0, 300.0], spread=0.05)
    counts = [recommend_replicas(fc, 50.0, headroom=h).replicas for h in (0.0, 0.2, 0.5, 1.0)]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_wide_interval_upper_bound_can_decide() -> None:
    fc = flat([100.0, 400.0], spread=0.5)  # upper 600 > 400 * 1.2
    rec = recommend_replicas(fc, per_pod_capacity=100.0, headroom=0.2)
    assert rec.replicas == 6 and rec.reason == "interval_upper"


@pytest.mark.parametrize(
    ("peak", "low", "high", "expected", "reason"),
    [
        (10.0, 3, 50, 3, "min_replicas"),  # one pod would do; the floor is 3
        (10_000.0, 1, 8, 8, "max_replicas"),  # would need 240
    ],
)
def test_bounds_are_respected(peak: float, low: int, high: int, expected: int, reason: str) -> None:
    rec = recommend_replicas(
        flat([peak], 0.0), 50.0, min_replicas=low, max_replicas=high, headroom=0.2
    )
    assert (rec.replicas, rec.reason) == (expected, reason)


def test_wider_interval_gives_lower_confidence() -> None:
    confidences = [
        recommend_replicas(flat([100.0, 200.0], s), 50.0).confidence for s in (0.0, 0.1, 0.4, 1.0)
    ]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert confidences == sorted(confidences, reverse=True) and confidences[0] > confidences[-1]


def test_noisier_history_gives_lower_confidence_end_to_end() -> None:
    rng = np.random.default_rng(4)
    t = np.arange(24 * 14)
    base = 300 + 100 * np.sin(2 * np.pi * t / 24)
    calm = forecast(base * np.exp(rng.normal(0, 0.02, t.size)), 24, season=24)
    noisy = forecast(base * np.exp(rng.normal(0, 0.3, t.size)), 24, season=24)
    assert recommend_replicas(noisy, 40.0).confidence < recommend_replicas(calm, 40.0).confidence


def test_capacity_learned_from_history() -> None:
    qps = np.array([100.0, 200.0, 300.0, 400.0] * 10)
    replicas = np.array([2, 2, 3, 4] * 10)
    assert learn_capacity(qps, replicas) == pytest.approx(100.0)
    rec = recommend_replicas(flat([1000.0], 0.0), None, qps, replicas, headroom=0.0)
    assert rec.per_pod_capacity == pytest.approx(100.0) and rec.replicas == 10


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"per_pod_capacity": None}, "per_pod_capacity or both"),
        ({"per_pod_capacity": 0.0}, "positive"),
        ({"per_pod_capacity": 10.0, "min_replicas": 5, "max_replicas": 2}, "min_replicas"),
        ({"per_pod_capacity": 10.0, "headroom": -0.1}, "headroom"),
        ({"per_pod_capacity": None, "history_qps": [1.0], "history_replicas": [0]}, "positive"),
    ],
)
def test_bad_arguments_rejected(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        recommend_replicas(flat([100.0], 0.1), **kwargs)
