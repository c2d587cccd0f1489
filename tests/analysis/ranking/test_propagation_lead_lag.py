"""Lead-lag orientation and the walk from effects to causes."""

from __future__ import annotations

import numpy as np

from analysis.propagation import cause_graph, lagged_correlation, personalised_pagerank


def _leader_and_follower(lag: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    leader = rng.normal(0, 1, 40).cumsum()
    follower = np.r_[np.zeros(lag), leader[:-lag]] + rng.normal(0, 0.1, 40)
    return np.vstack([leader, follower])


def test_lagged_correlation_peaks_at_the_true_lag_in_the_leading_direction() -> None:
    series = _leader_and_follower(2)
    forward = [lagged_correlation(series, lag)[0, 1] for lag in range(4)]
    backward = [lagged_correlation(series, -lag)[0, 1] for lag in range(4)]
    assert int(np.argmax(forward)) == 2
    assert forward[2] > 0.9
    assert max(backward[1:]) < forward[2]


def test_cause_graph_points_from_leader_to_follower() -> None:
    series = _leader_and_follower(1)
    weight = cause_graph(series, onsets=np.array([10, 10]))
    assert weight[0, 1] > 0.5
    assert weight[1, 0] == 0


def test_cause_graph_respects_onset_order() -> None:
    series = _leader_and_follower(1)
    weight = cause_graph(series, onsets=np.array([12, 10]))
    assert weight[0, 1] == 0
    assert weight[1, 0] > 0


def test_pagerank_settles_on_the_common_cause() -> None:
    weight = np.zeros((4, 4))
    weight[0, 1] = weight[0, 2] = weight[0, 3] = 1.0  # 0 drives 1, 2 and 3
    rank = personalised_pagerank(weight, restart=np.ones(4))
    assert int(np.argmax(rank)) == 0
    assert abs(rank.sum() - 1) < 1e-9


def test_pagerank_without_edges_follows_the_restart() -> None:
    rank = personalised_pagerank(np.zeros((3, 3)), restart=np.array([1.0, 3.0, 0.0]))
    assert np.allclose(rank, [0.25, 0.75, 0.0])
