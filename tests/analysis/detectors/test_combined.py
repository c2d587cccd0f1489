"""The combined, calibrated score."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.detectors import (
    Calibration,
    CombinedDetector,
    LevelShift,
    Member,
    RangeNovelty,
    RobustZScore,
    anomaly_scores,
)

WARM_UP = 200


def small_combined() -> CombinedDetector:
    return CombinedDetector(
        members=[
            Member(RangeNovelty(window=300), Calibration(300, 1.0, "raw")),
            Member(LevelShift(window=300), Calibration(300, 1.0, "raw")),
            Member(RobustZScore(window=100), Calibration(300, 0.5, "record")),
        ],
        repeat_span=20,
    )


def test_scores_are_within_unit_interval(spiked, shifted):
    rng = np.random.default_rng(3)
    for values in (spiked, shifted, rng.standard_cauchy(1500), np.zeros(300)):
        scores = anomaly_scores(values)
        assert scores.shape == values.shape
        assert np.all((scores >= 0.0) & (scores <= 1.0))


def test_clean_data_stays_below_the_beyond_history_half(clean):
    assert np.percentile(anomaly_scores(clean)[WARM_UP:], 99) < 0.5


def test_spike_and_shift_are_flagged(clean, spiked, shifted, anomaly_at):
    ceiling = anomaly_scores(clean)[WARM_UP:].max()
    assert anomaly_scores(spiked)[anomaly_at] > max(0.6, ceiling)
    assert anomaly_scores(shifted)[anomaly_at : anomaly_at + 6].max() > max(0.6, ceiling)


def test_repeated_alerts_are_damped(spiked, anomaly_at):
    twice = spiked.copy()
    twice[anomaly_at + 3] = twice[anomaly_at]
    scores = anomaly_scores(twice)
    assert scores[anomaly_at + 3] < scores[anomaly_at]


def test_combined_is_causal(spiked, anomaly_at):
    full = anomaly_scores(spiked)
    for cut in (2, 450, anomaly_at + 1):
        np.testing.assert_array_equal(anomaly_scores(spiked[:cut]), full[:cut])


def test_stream_equals_window_mode(spiked):
    values = spiked[:800]
    window = small_combined().score(values)
    streamer = small_combined()
    stream = np.array([streamer.update(v) for v in values])
    np.testing.assert_allclose(stream, window, rtol=1e-12, atol=1e-12)
    streamer.reset()
    assert streamer.update(values[0]) == window[0]


def test_timestamps_must_match_values():
    with pytest.raises(ValueError, match="timestamps"):
        anomaly_scores(np.ones(5), np.arange(4))


def test_calibration_rejects_unknown_excess():
    with pytest.raises(ValueError, match="excess"):
        Calibration(excess="sideways")
