"""Each detector flags an injected spike and level shift, stays low on clean data,
is causal, and streams exactly what it scores in window mode."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.detectors import (
    DbscanNoise,
    Detector,
    InterquartileRange,
    IsolationForest,
    LevelShift,
    RangeNovelty,
    RobustZScore,
    SeasonalShift,
)

WARM_UP = 200


def small_detectors() -> list[Detector]:
    """Every detector with windows short enough for a 1200-point series."""
    return [
        RobustZScore(window=150),
        InterquartileRange(window=150),
        DbscanNoise(window=150),
        IsolationForest(window=300, refit=200),
        RangeNovelty(window=400),
        LevelShift(window=400),
        SeasonalShift(period=96, periods=3, span=3, window=400),
    ]


DETECTORS = pytest.mark.parametrize("detector", small_detectors(), ids=lambda d: d.name)


@DETECTORS
def test_spike_scores_above_everything_on_clean_data(detector, clean, spiked, anomaly_at):
    spike_score = detector.score(spiked)[anomaly_at]
    assert spike_score > detector.score(clean)[WARM_UP:].max()


@DETECTORS
def test_level_shift_is_flagged_at_its_onset(detector, clean, shifted, anomaly_at):
    onset = detector.score(shifted)[anomaly_at : anomaly_at + 6].max()
    assert onset > detector.score(clean)[WARM_UP:].max()


@DETECTORS
def test_scores_are_causal(detector, spiked, anomaly_at):
    full = detector.score(spiked)
    for cut in (1, 37, anomaly_at, anomaly_at + 1):
        np.testing.assert_array_equal(detector.score(spiked[:cut]), full[:cut])


@DETECTORS
def test_stream_equals_window_mode(detector, spiked):
    values = spiked[:700]
    window = detector.score(values)
    detector.reset()
    stream = np.array([detector.update(v) for v in values])
    np.testing.assert_allclose(stream, window, rtol=1e-12, atol=1e-12)


@DETECTORS
def test_nan_input_is_rejected(detector):
    with pytest.raises(ValueError, match="NaN"):
        detector.score(np.array([1.0, np.nan, 2.0]))


def test_stream_state_is_bounded():
    detector = RobustZScore(window=20)
    for value in np.arange(500.0):
        detector.update(value)
    assert len(detector.__dict__["_buffer"]) == detector.lookback + 1
