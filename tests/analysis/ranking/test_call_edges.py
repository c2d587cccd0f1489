"""Call-edge series (``caller->callee``) as evidence for the workloads at their ends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.calls import attribute, edge_entity, split_edge
from analysis.ranking import rank_root_causes

START = pd.Timestamp("2024-05-01 10:00", tz="UTC")


def test_edge_entity_round_trips_and_other_names_are_not_edges() -> None:
    assert split_edge(edge_entity("frontend", "cart")) == ("frontend", "cart")
    for name in ("payments", "payments-7d9f8c6b5-x2k4q", "a->", "->b", "a->b->c", ""):
        assert split_edge(name) is None


def _owned(entities: list[str], strength: list[float]) -> dict[str, float]:
    """Best strength per owner."""
    items = attribute(np.array(entities), np.array(strength))
    best: dict[str, float] = {}
    for owner, value in zip(items.owners, items.strengths, strict=True):
        best[str(owner)] = max(best.get(str(owner), 0.0), float(value))
    return best


def test_the_workload_common_to_the_slow_calls_takes_the_blame() -> None:
    # db is slow: both calls to it are anomalous; its callers' other calls are fine.
    best = _owned(
        ["web->db", "api->db", "web->auth", "api->cache", "web-1", "web-1"],
        [0.9, 0.8, 0.0, 0.0, 0.3, 0.1],
    )
    assert best["db"] == pytest.approx(0.9 * (0.9 + 0.8) / 2)
    assert best["web"] == pytest.approx(0.9 * 0.9 / 2)
    assert best["api"] == pytest.approx(0.8 * 0.8 / 2)
    assert best["auth"] == best["cache"] == 0.0
    assert best["web-1"] == 0.3  # plain series keep their strength


def test_a_caller_whose_every_call_is_slow_is_blamed_over_its_callees() -> None:
    # checkout's own network is slow: every call it makes and serves is anomalous; each
    # callee also serves a healthy caller.
    entities = ["front->checkout", "checkout->pay", "checkout->mail", "web->pay", "web->mail"]
    best = _owned(entities, [0.8, 0.9, 0.7, 0.0, 0.0])
    assert best["checkout"] == pytest.approx(0.9 * 0.8)
    assert best["checkout"] > max(best["pay"], best["mail"], best["front"])


def test_edges_of_an_edge_metric_are_merged_per_pair() -> None:
    items = attribute(np.array(["a->b", "a->b"]), np.array([0.2, 0.6]))
    assert sorted(items.rows.tolist()) == [0, 0, 1, 1]
    assert set(items.owners.tolist()) == {"a", "b"}
    # one edge: each end's share is that edge's strength (the larger of its two series)
    assert float(items.strengths.max()) == pytest.approx(0.6 * 0.6)


def _frame(edges: bool, seed: int) -> pd.DataFrame:
    """api calls db and cache, web calls api and cache. From minute 40 the calls to db
    are slow (shift of 20 noise units); api and web see part of it in their own latency
    (8 units); db's own metrics stay flat."""
    rng = np.random.default_rng(seed)
    times = pd.date_range(START, periods=60, freq="1min")
    series: dict[tuple[str, str], np.ndarray] = {}
    for name in ("web", "api", "db", "cache"):
        for metric, level in (("cpu", 40.0), ("latency", 20.0)):
            series[(name, metric)] = level + rng.normal(0.0, 1.0, 60)
    series[("api", "latency")][40:] += 8
    series[("web", "latency")][40:] += 8
    if edges:
        for caller, callee in (("web", "api"), ("web", "cache"), ("api", "db"), ("api", "cache")):
            series[(edge_entity(caller, callee), "call_latency")] = 10 + rng.normal(0, 1, 60)
        series[("api->db", "call_latency")][40:] += 20
        series[("web->api", "call_latency")][40:] += 8
    return pd.concat(
        pd.DataFrame({"timestamp": times, "entity": e, "metric": m, "value": v})
        for (e, m), v in series.items()
    )


@pytest.mark.parametrize("seed", range(4))
def test_edges_bring_a_callee_with_flat_metrics_into_the_ranking(seed: int) -> None:
    start = START + pd.Timedelta(minutes=40)
    blind = rank_root_causes(_frame(edges=False, seed=seed), start)
    assert "db" not in {c.entity for c in blind.candidates if c.score > 0}

    seen = rank_root_causes(_frame(edges=True, seed=seed), start)
    scored = [c for c in seen.candidates if c.score > 0]
    names = [c.entity for c in scored]
    assert "db" in names
    db = scored[names.index("db")]
    assert db.metric == "call_latency (api->db)"
    assert db.direction == "up"
    assert db.onset == start
    assert "cache" not in names[: names.index("db") + 1]


def test_relative_shares_keep_unbounded_strengths_on_their_scale() -> None:
    # Raw |z| (the quiet fill): an end's share is its mean over its largest edge.
    items = attribute(np.array(["a->b", "a->c"]), np.array([4.0, 2.0]), relative=True)
    best: dict[str, float] = {}
    for owner, value in zip(items.owners, items.strengths, strict=True):
        best[str(owner)] = max(best.get(str(owner), 0.0), float(value))
    assert best == {"a": pytest.approx(4.0 * 3.0 / 4.0), "b": 4.0, "c": 2.0}
