"""The NAB scorer on hand-computed cases: one window of 100 rows in a 1000-row file."""

from __future__ import annotations

import numpy as np
import pytest

COST = {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11}
WINDOW = (500, 599)


def one_file(detections: list[int]) -> list:
    scores = np.zeros(1000)
    scores[detections] = 1.0
    return [("f.csv", scores, [WINDOW])]


def test_probation_is_15_percent_capped_at_750(nab_scoring):
    assert nab_scoring.probationary_length(1000) == 150
    assert nab_scoring.probationary_length(10_000) == 750


def test_detection_at_left_edge_earns_one_tp(nab_scoring):
    result = nab_scoring.score_corpus(one_file([500]), COST)
    assert result.raw == pytest.approx(1.0)
    assert result.threshold == 1.0


def test_detection_at_right_edge_earns_little(nab_scoring):
    # position -1/100 -> (2*sigmoid(0.05) - 1) / (2*sigmoid(5) - 1)
    expected = (2 / (1 + np.exp(-0.05)) - 1) / (2 / (1 + np.exp(-5)) - 1)
    assert nab_scoring.score_corpus(one_file([599]), COST).raw == pytest.approx(expected)


def test_only_the_earliest_detection_of_a_window_counts(nab_scoring):
    assert nab_scoring.score_corpus(one_file([500, 520, 550]), COST).raw == pytest.approx(1.0)


def test_a_miss_costs_fn_when_detecting_only_hurts(nab_scoring):
    # one detection far before the window: -0.11 - 1 is worse than no detection (-1)
    result = nab_scoring.score_corpus(one_file([200]), COST)
    assert result.raw == pytest.approx(-1.0)
    assert result.threshold == 1.1


def test_false_positive_cost_depends_on_distance_after_window(nab_scoring):
    # hit at 500 (+1) plus a FP 50 rows after the window end: 0.11 * (2*sigmoid(-5*50/99) - 1)
    expected = 1.0 + 0.11 * (2 / (1 + np.exp(5 * 50 / 99)) - 1)
    assert nab_scoring.score_corpus(one_file([500, 649]), COST).raw == pytest.approx(expected)


def test_probationary_rows_are_ignored(nab_scoring):
    assert nab_scoring.score_corpus(one_file([10, 500]), COST).raw == pytest.approx(1.0)


def test_normalisation(nab_scoring):
    assert nab_scoring.normalized_score(1.0, -1.0, 1, 1.0) == pytest.approx(100.0)
    assert nab_scoring.normalized_score(-1.0, -1.0, 1, 1.0) == pytest.approx(0.0)
