"""The ranker's rules on small hand-made frames, one rule per test.

Each frame is a microservice window at 15 s steps: every service exports cpu, memory,
request load and p90 latency with noise; one service is the culprit, others show its
effects or an unrelated load shift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.changes import Change, attach_changes
from analysis.metric_kinds import kind_of
from analysis.ranking import rank_root_causes
from analysis.workloads import workload_of

T0 = pd.Timestamp("2026-03-01 14:00", tz="UTC")
STEP = pd.Timedelta(seconds=15)
POINTS = 40  # 10 minutes
FAULT = 20  # the fault starts at minute 5
SERVICES = ("frontend", "cart", "checkout", "payment", "shipping", "email")


def _frame(seed: int, names: dict[str, str], changes) -> pd.DataFrame:
    """Healthy series for every service, then ``changes(series)`` edits them in place;
    ``names`` maps the roles cpu/mem/load/latency to the metric names exported."""
    rng = np.random.default_rng(seed)
    series: dict[tuple[str, str], np.ndarray] = {}
    for service in SERVICES:
        series[service, "cpu"] = 0.01 + np.abs(rng.normal(0.0, 0.002, POINTS))
        series[service, "mem"] = 200e6 + rng.normal(0.0, 2e6, POINTS)
        series[service, "load"] = 100.0 + rng.normal(0.0, 3.0, POINTS)
        series[service, "latency"] = 0.05 + rng.normal(0.0, 0.002, POINTS)
    changes(series)
    times = pd.date_range(T0, periods=POINTS, freq=STEP)
    return pd.concat(
        pd.DataFrame({"timestamp": times, "entity": s, "metric": names[role], "value": v})
        for (s, role), v in series.items()
    )


def _cpu_hog_with_load_shift(series) -> None:
    # cart's CPU goes from 1 % of a core to the whole core; its latency and its callers'
    # rise a little; request load moves on two other services (effects and a shift).
    series["cart", "cpu"][FAULT:] = 1.0 - np.abs(series["cart", "cpu"][FAULT:] - 0.01)
    series["cart", "latency"][FAULT + 1 :] += 0.02
    series["frontend", "latency"][FAULT + 2 :] += 0.02
    series["frontend", "load"][FAULT + 1 :] += 60.0
    series["email", "load"][FAULT:] -= 50.0


def _memory_leak_with_load_shift(series) -> None:
    ramp = np.linspace(1.0, 15.0, POINTS - FAULT)
    series["payment", "mem"][FAULT:] = series["payment", "mem"][FAULT:] * ramp
    series["checkout", "latency"][FAULT + 3 :] += 0.01
    series["shipping", "load"][FAULT:] *= 1.8


OURS = {"cpu": "cpu_usage_cores", "mem": "memory_working_set_bytes"}
OURS |= {"load": "request_rate", "latency": "latency_p90_seconds"}
GENERIC = {"cpu": "cpu", "mem": "mem", "load": "load", "latency": "latency"}
CASES = [(_cpu_hog_with_load_shift, "cart"), (_memory_leak_with_load_shift, "payment")]


@pytest.mark.parametrize("names", [OURS, GENERIC], ids=["catalogue-names", "generic-names"])
@pytest.mark.parametrize(("changes", "culprit"), CASES, ids=["cpu-hog", "memory-leak"])
@pytest.mark.parametrize("seed", range(3))
def test_a_saturated_resource_beats_a_load_shift(names, changes, culprit, seed) -> None:
    frame = _frame(seed, names, changes)
    result = rank_root_causes(frame, T0 + FAULT * STEP)
    assert result.candidates[0].entity == culprit
    assert result.candidates[0].metric in (names["cpu"], names["mem"])


@pytest.mark.parametrize("late_seconds", [60, 120, 180])
@pytest.mark.parametrize(("changes", "culprit"), CASES, ids=["cpu-hog", "memory-leak"])
def test_a_late_start_still_finds_the_earlier_onset(changes, culprit, late_seconds) -> None:
    frame = _frame(7, GENERIC, changes)
    late = T0 + FAULT * STEP + pd.Timedelta(seconds=late_seconds)
    result = rank_root_causes(frame, late)
    top = result.candidates[0]
    assert top.entity == culprit
    # The culprit's own onset is found near the truth, not at the late start (the onset
    # is where a departure reaches a quarter of its peak: a few points into a ramp).
    assert abs(top.onset - (T0 + FAULT * STEP)) <= 6 * STEP
    if changes is _cpu_hog_with_load_shift:
        assert top.onset == T0 + FAULT * STEP


def test_a_late_start_keeps_the_departure_strong() -> None:
    frame = _frame(3, OURS, _cpu_hog_with_load_shift)
    exact = rank_root_causes(frame, T0 + FAULT * STEP).candidates[0]
    late = rank_root_causes(frame, T0 + FAULT * STEP + pd.Timedelta(seconds=120)).candidates[0]
    assert late.entity == exact.entity == "cart"
    assert late.score == pytest.approx(exact.score, abs=0.05)
    assert late.baseline == pytest.approx(exact.baseline, rel=0.3)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cpu_usage_cores", "resource"),
        ("CpuUsageRate(%)", "resource"),
        ("memory_working_set_bytes", "resource"),
        ("cpu_throttled_ratio", "resource"),
        ("restarts", "resource"),
        ("ready", "resource"),
        ("heap_bytes", "resource"),
        ("latency_p90_seconds", "symptom"),
        ("PodClientLatencyP90(s)", "symptom"),
        ("error_ratio", "symptom"),
        ("http_request_duration_seconds", "symptom"),
        ("request_rate", "load"),
        ("qps", "load"),
        ("PodWorkload(Ops)", "load"),
        ("NetworkReceiveBytes", "load"),
        ("http_requests_total", "load"),
        ("queue_depth", "other"),
    ],
)
def test_metric_kinds_from_names(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def _twin_departures(series) -> None:
    # cart's CPU and checkout's CPU leave their baselines together, by the same amount:
    # metrics alone cannot tell which one broke first.
    for service in ("cart", "checkout"):
        series[service, "cpu"][FAULT:] += 0.05


def _pods(frame: pd.DataFrame) -> pd.DataFrame:
    """The same frame with pod entities, as the Prometheus source gives them."""
    return frame.assign(entity=frame["entity"] + "-7d9f8b6c5d-x2k4q")


def _rollout(workload: str, minutes_before_onset: float) -> Change:
    at = T0 + FAULT * STEP - pd.Timedelta(minutes=minutes_before_onset)
    facts = {"image": f"acme/{workload}:2.4.0", "previous_image": f"acme/{workload}:2.3.9"}
    return Change(at, "rollout", workload, f"Deployment/{workload}", facts)


@pytest.mark.parametrize("suspect", ["cart", "checkout"])
def test_a_rollout_just_before_the_onset_raises_its_workload(suspect: str) -> None:
    result = rank_root_causes(_pods(_frame(5, OURS, _twin_departures)), T0 + FAULT * STEP)
    assert {workload_of(c.entity) for c in result.candidates[:2]} == {"cart", "checkout"}
    changed = attach_changes(result, [_rollout(suspect, 2)])
    top = changed.candidates[0]
    assert workload_of(top.entity) == suspect
    assert changed.verdict == "root_cause"
    assert [change.subject for change in top.changes] == [f"Deployment/{suspect}"]
    assert top.score > max(c.score for c in result.candidates if c.entity == top.entity)


@pytest.mark.parametrize(
    "change",
    [
        _rollout("checkout", 45),  # long before the onset
        _rollout("checkout", -5),  # after the onset: an attempted fix, not the cause
        Change(T0 + FAULT * STEP, "scaling", "checkout", "HorizontalPodAutoscaler/checkout"),
        Change(T0 + FAULT * STEP, "warning", "checkout", "Pod/checkout-1", {"reason": "BackOff"}),
    ],
    ids=["long-before", "after", "scaling", "warning"],
)
def test_other_changes_are_listed_but_raise_nothing(change: Change) -> None:
    result = rank_root_causes(_pods(_frame(5, OURS, _twin_departures)), T0 + FAULT * STEP)
    changed = attach_changes(result, [change])
    assert [c.entity for c in changed.candidates] == [c.entity for c in result.candidates]
    assert [c.score for c in changed.candidates] == [c.score for c in result.candidates]
    assert all(c.changes == () for c in changed.candidates)
    assert changed.changes == (change,)
