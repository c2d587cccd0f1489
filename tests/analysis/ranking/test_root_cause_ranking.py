"""rank_root_causes on synthetic incidents with a known culprit."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.evidence import to_json
from analysis.ranking import rank_root_causes

CHAIN = {"db": ("cpu", 0, 12.0), "api": ("latency", 2, 12.0), "web": ("latency", 3, 12.0)}


@pytest.mark.parametrize("seed", range(4))
def test_culprit_that_departs_first_ranks_first_with_the_start_given(
    incident, start, seed: int
) -> None:
    frame = incident(CHAIN, onset=40, seed=seed)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.candidates[0].entity == "db"
    assert {c.entity for c in result.candidates[1:3]} == {"api", "web"}
    assert result.candidates[0].metric == "cpu"


def test_verdict_is_confident_for_a_clear_culprit(incident, start) -> None:
    frame = incident({"db": ("cpu", 0, 40.0), "api": ("latency", 2, 6.0)}, seed=8)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.candidates[0].entity == "db"
    assert result.verdict == "root_cause"


def test_verdict_is_ambiguous_for_twin_departures(incident, start) -> None:
    frame = incident({"db": ("cpu", 0, 12.0), "api": ("cpu", 0, 12.0)}, seed=9)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.verdict == "ambiguous"


@pytest.mark.parametrize("seed", range(4))
def test_culprit_ranks_first_with_the_start_detected(incident, start, seed: int) -> None:
    result = rank_root_causes(incident(CHAIN, onset=40, seed=seed))
    assert result.candidates[0].entity == "db"
    assert result.incident_start is not None
    assert abs((result.incident_start - start) / pd.Timedelta(minutes=1) - 40) <= 2


def test_onset_beats_a_slightly_bigger_later_departure(incident, start) -> None:
    frame = incident({"db": ("cpu", 0, 12.0), "api": ("latency", 3, 14.0)}, seed=5)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.candidates[0].entity == "db"


def test_a_much_stronger_departure_outranks(incident, start) -> None:
    frame = incident({"db": ("cpu", 0, 6.0), "api": ("latency", 0, 200.0)}, seed=6)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.candidates[0].entity == "api"


@pytest.mark.parametrize("seed", range(4))
def test_healthy_window_gives_low_scores_and_no_verdict(incident, start, seed: int) -> None:
    frame = incident({}, healthy=("a", "b", "c", "d", "e", "f"), seed=seed)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.verdict == "no_anomaly"
    assert all(c.score < 0.2 for c in result.candidates)


def test_evidence_lists_other_anomalous_metrics_of_the_entity(start) -> None:
    times = pd.date_range(start, periods=50, freq="1min")
    rows = []
    for metric, shift in (("cpu", 30.0), ("memory", 15.0), ("disk", 0.0)):
        values = [10.0 + (i % 3) * 0.5 + (shift if i >= 35 else 0.0) for i in range(50)]
        rows.append(
            pd.DataFrame({"timestamp": times, "entity": "db", "metric": metric, "value": values})
        )
    result = rank_root_causes(pd.concat(rows), start + pd.Timedelta(minutes=35))
    top = result.candidates[0]
    assert [e.metric for e in top.evidence] == ["cpu", "memory"]
    assert top.direction == "up"
    assert top.baseline == pytest.approx(10.5)
    assert top.peak == pytest.approx(40.5, abs=1)


def test_metric_weights_demote_a_metric(incident, start) -> None:
    frame = incident({"db": ("cpu", 0, 12.0), "api": ("latency", 0, 12.0)}, seed=7)
    when = start + pd.Timedelta(minutes=40)
    assert rank_root_causes(frame, when, metric_weights={"cpu": 0.1}).candidates[0].entity == "api"
    assert rank_root_causes(frame, when, metric_weights={"lat*": 0.1}).candidates[0].entity == "db"


def test_top_limits_the_candidates_and_json_is_iso(incident, start) -> None:
    result = rank_root_causes(incident(CHAIN, seed=1), start + pd.Timedelta(minutes=40), top=2)
    payload = json.loads(json.dumps(to_json(result)))
    assert len(payload["candidates"]) == 2
    assert payload["candidates"][0]["entity"] == "db"
    assert pd.Timestamp(payload["incident_start"]) == start + pd.Timedelta(minutes=40)
    first = payload["candidates"][0]
    assert {"entity", "metric", "score", "onset", "baseline", "peak", "evidence"} <= set(first)
    assert 0 <= first["score"] <= 1
    assert pd.Timestamp(first["onset"]).tzinfo is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="value"), "lacks column"),
        (lambda f: f.assign(timestamp=f["timestamp"].dt.tz_localize(None)), "tz-aware"),
        (lambda f: f.iloc[:0], "empty"),
    ],
)
def test_bad_frames_are_refused_precisely(incident, change, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rank_root_causes(change(incident(CHAIN)))


def test_incident_start_outside_the_window_is_refused(incident, start) -> None:
    with pytest.raises(ValueError, match="too little data"):
        rank_root_causes(incident(CHAIN), start + pd.Timedelta(hours=5))


def test_a_departure_shared_by_many_workloads_does_not_outrank_a_lone_one(incident, start) -> None:
    # A load change moves latency on half of ten workloads, a bit more than db's cpu moves.
    shared = {name: ("latency", 0, 14.0) for name in ("api", "web", "cart", "mail", "ads")}
    frame = incident(
        {"db": ("cpu", 0, 10.0), **shared}, healthy=("cache", "queue", "auth", "search"), seed=4
    )
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40))
    assert result.candidates[0].entity == "db"
    assert result.candidates[0].metric == "cpu"


@pytest.mark.parametrize("seed", range(6))
def test_a_short_list_is_filled_with_the_faintest_movers_after_the_departures(
    incident, start, seed: int
) -> None:
    # db departs; "queue" moves 1.5 noise units (at most faintly), the rest not at all.
    frame = incident({"db": ("cpu", 0, 12.0), "queue": ("latency", 0, 1.5)}, seed=seed)
    result = rank_root_causes(frame, start + pd.Timedelta(minutes=40), top=3)
    names = [c.entity for c in result.candidates]
    assert names[:2] == ["db", "queue"] and result.candidates[0].score > 0.2
    assert len(names) == 3 == len(set(names))
    assert result.candidates[2].score == 0.0 and result.candidates[2].evidence == ()
    assert result.verdict == "root_cause"
