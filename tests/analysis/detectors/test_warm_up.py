"""A new series (a new pod after a rollout or restart) raises no anomaly on noise alone."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from analysis.detectors.calibration import Calibration
from analysis.detectors.combined import CombinedDetector, anomaly_scores
from skills.alerts.scans import find_anomalies

T0 = pd.Timestamp("2026-12-03T06:00:00Z")


def _new_pod(seed: int, points: int) -> pd.DataFrame:
    values = np.random.default_rng(seed).normal(0.25, 0.01, points)
    times = pd.date_range(T0, periods=points, freq="30s")
    return pd.DataFrame(
        {
            "timestamp": times,
            "entity": "payments-5d8c7b9f4d-q2x7m",
            "metric": "cpu_usage_cores",
            "value": values,
        }
    )


@pytest.mark.parametrize("points", [12, 20, 40, 120])
def test_a_new_pods_quiet_series_raises_no_card(points: int) -> None:
    for seed in range(20):
        frame = _new_pod(seed, points)
        since = (T0 - timedelta(minutes=1)).to_pydatetime()
        assert find_anomalies(frame, "payments", since, threshold=0.8) == [], seed


def test_the_first_scores_after_the_warm_up_are_not_records() -> None:
    # The robust z-score member warms up for 10 points (scores 0); before this was fixed,
    # its first real score "exceeded" that flat history enormously and scored ~1.0.
    for seed in range(20):
        values = np.random.default_rng(seed).normal(100.0, 1.0, 40)
        assert anomaly_scores(values)[:25].max() < 0.8, seed


def test_a_real_step_after_the_warm_up_still_scores_high() -> None:
    values = np.random.default_rng(0).normal(100.0, 1.0, 60)
    values[40:] += 30.0
    assert anomaly_scores(values)[40] > 0.9


def test_streaming_matches_the_window_scores_through_the_warm_up() -> None:
    values = np.random.default_rng(5).normal(100.0, 1.0, 50)
    detector = CombinedDetector()
    streamed = [detector.update(v) for v in values]
    assert np.allclose(streamed, anomaly_scores(values))


def test_record_calibration_needs_a_history_of_real_scores() -> None:
    raw = np.concatenate([np.zeros(10), [0.4, 2.0], np.full(12, 0.5), [5.0]])
    calibrated = Calibration(8000, 0.5, "record").apply(raw)
    assert calibrated[11] <= 0.5  # one real score before: no record
    assert calibrated[-1] > 0.5  # a dozen real scores before: a record
