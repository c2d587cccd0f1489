"""Onset of one series and incident start of a whole window."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.onset import detect_onset, incident_start

TIMES = pd.date_range("2024-05-01", periods=60, freq="1min", tz="UTC")


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("shift", [8.0, -8.0])
def test_step_is_found_within_two_points_with_its_direction(seed: int, shift: float) -> None:
    values = 100 + np.random.default_rng(seed).normal(0, 1, 60)
    values[35:] += shift
    onset = detect_onset(TIMES, values)
    assert onset is not None
    assert abs((onset.time - TIMES[35]) / pd.Timedelta(minutes=1)) <= 2
    assert onset.direction == ("up" if shift > 0 else "down")
    assert onset.baseline == pytest.approx(100, abs=1)
    assert onset.peak == pytest.approx(100 + shift, abs=4)
    assert 0 < onset.strength <= 1


@pytest.mark.parametrize("seed", range(5))
def test_noise_has_no_onset(seed: int) -> None:
    values = 100 + np.random.default_rng(seed).normal(0, 1, 60)
    assert detect_onset(TIMES, values) is None


def test_a_bigger_departure_is_stronger() -> None:
    noise = np.random.default_rng(1).normal(0, 1, 60)
    small, big = noise.copy(), noise.copy()
    small[40:] += 6
    big[40:] += 60
    weak, strong = detect_onset(TIMES, small), detect_onset(TIMES, big)
    assert weak is not None and strong is not None
    assert strong.strength > weak.strength


def test_explicit_baseline_end_limits_the_baseline() -> None:
    values = np.r_[np.zeros(20), np.full(20, 50.0), np.full(20, 50.0)]
    values += np.random.default_rng(2).normal(0, 1, 60)
    assert detect_onset(TIMES, values, baseline_end=TIMES[10]) is not None
    assert detect_onset(TIMES, values, baseline_end=TIMES[40]) is None


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="times but"):
        detect_onset(TIMES, np.zeros(10))


@pytest.mark.parametrize("seed", range(3))
def test_incident_start_is_the_earliest_cluster_of_onsets(incident, start, seed: int) -> None:
    frame = incident(
        {"db": ("cpu", 0, 10.0), "api": ("latency", 2, 10.0), "web": ("latency", 3, 10.0)},
        onset=40,
        seed=seed,
    )
    found = incident_start(frame)
    assert found is not None
    assert abs((found - (start + pd.Timedelta(minutes=40))) / pd.Timedelta(minutes=1)) <= 2


def test_healthy_window_has_no_incident_start(incident) -> None:
    assert incident_start(incident({}, healthy=("a", "b", "c", "d", "e", "f"))) is None
