"""A 500-case suite: every kind present, sizes within bounds, ground truth consistent
with the frames (the fault shows after the onset, effects on others come later)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.calls import split_edge
from analysis.synthetic import KINDS, Case, generate_suite
from analysis.workloads import workload_of

COUNT = 500
POD = re.compile(r"^(?P<service>.+)-(?P<hash>[a-z0-9]{10})-[a-z0-9]{5}$")
SIGNALS = "analysis/signals.yaml"


def _catalogue() -> set[str]:
    with open(SIGNALS) as file:
        return {signal["name"] for signal in yaml.safe_load(file)["signals"]}


@pytest.fixture(scope="module")
def suite() -> list[Case]:
    return list(generate_suite(seed=7, count=COUNT))


def test_every_kind_and_both_exporters_are_well_represented(suite: list[Case]) -> None:
    kinds = Counter(case.kind for case in suite)
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 20, kinds
    generic = sum(case.exporter == "generic" for case in suite)
    assert 0.15 * COUNT <= generic <= 0.35 * COUNT


def test_windows_steps_and_onsets_are_within_bounds(suite: list[Case]) -> None:
    for case in suite:
        times = pd.DatetimeIndex(sorted(case.frame["timestamp"].unique()))
        first, last = times[0], times[-1]
        assert case.step_seconds in (15, 30, 60)
        assert pd.Timedelta(minutes=19) <= last - first <= pd.Timedelta(minutes=60)
        assert str(times.tz) == "UTC"
        third = (last - first) / 3
        assert first + third - pd.Timedelta(seconds=case.step_seconds) <= case.onset
        assert case.onset <= last - third + pd.Timedelta(seconds=case.step_seconds)
        assert set(case.frame.columns) == {"timestamp", "entity", "metric", "value"}


def test_call_graphs_are_dags_from_one_or_two_entries(suite: list[Case]) -> None:
    for case in suite:
        assert 8 <= len(case.services) <= 40
        assert case.root_cause in case.services
        callers: dict[str, set[str]] = {callee: set() for callee in case.services}
        for caller, callee in case.calls:
            callers[callee].add(caller)
        entries = [s for s in case.services if not callers[s]]
        assert 1 <= len(entries) <= 2  # one or two entry services (nobody calls them)
        reached, todo = set(entries), list(entries)
        while todo:
            here = todo.pop()
            for caller, callee in case.calls:
                if caller == here and callee not in reached:
                    reached.add(callee)
                    todo.append(callee)
        assert reached == set(case.services)
        order = {name: i for i, name in enumerate(case.services)}
        assert all(order[a] < order[b] for a, b in case.calls)  # no cycle


def test_kubernetes_cases_use_our_names_and_real_pod_names(suite: list[Case]) -> None:
    catalogue = _catalogue()
    for case in (c for c in suite if c.exporter == "kubernetes"):
        assert set(case.frame["metric"]) <= catalogue
        replica_sets: Counter[tuple[str, str]] = Counter()
        for entity in case.frame["entity"].unique():
            if split_edge(entity) is not None or entity in case.services:
                continue
            match = POD.match(entity)
            assert match, entity
            assert workload_of(entity) == match["service"] in case.services
            replica_sets[(match["service"], match["hash"])] += 1
        assert max(replica_sets.values()) <= 4
        for service in {service for service, _ in replica_sets}:
            hashes = sum(1 for s, _ in replica_sets if s == service)
            rollout = case.kind == "bad_rollout" and service == case.root_cause
            assert hashes == (2 if rollout else 1)


def test_generic_cases_have_service_entities_and_other_names(suite: list[Case]) -> None:
    catalogue = _catalogue()
    generic = [case for case in suite if case.exporter == "generic"]
    names = set()
    for case in generic:
        assert set(case.frame["entity"]) <= set(case.services)
        assert not set(case.frame["metric"]) & catalogue
        names |= set(case.frame["metric"])
    assert len(names) >= 10  # the names vary from case to case


def test_a_bad_rollout_brings_new_pods_after_the_onset(suite: list[Case]) -> None:
    for case in (c for c in suite if c.kind == "bad_rollout" and c.exporter == "kubernetes"):
        frame = case.frame[case.frame["entity"].map(workload_of) == case.root_cause]
        frame = frame[frame["entity"] != case.root_cause]
        spans = frame.groupby(frame["entity"].str.split("-").str[-2])["timestamp"].agg(
            ["min", "max"]
        )
        new = spans.sort_values("min").iloc[-1]
        old = spans.sort_values("min").iloc[0]
        assert new["min"] >= case.onset
        assert old["max"] < frame["timestamp"].max()


def _departure(values: pd.Series, times: pd.Series, onset: pd.Timestamp) -> tuple[float, float]:
    """Largest robust z after the onset and before it, both against the first two thirds of
    the time before the onset."""
    before, after = values[times < onset].to_numpy(), values[times >= onset].to_numpy()
    reference = before[: max(3, 2 * len(before) // 3)]
    centre = np.median(reference)
    spread = 1.4826 * np.median(np.abs(reference - centre)) + 1e-9 * (abs(centre) + 1)
    return float(np.max(np.abs(after - centre)) / spread), float(
        np.max(np.abs(before - centre)) / spread
    )


def test_the_fault_series_departs_after_the_onset(suite: list[Case]) -> None:
    departed, calm_before, checked = 0, 0, 0
    for case in suite:
        assert case.fault_series or case.exporter == "generic"
        for entity, metric in case.fault_series[:1]:
            rows = case.frame[(case.frame["entity"] == entity) & (case.frame["metric"] == metric)]
            after, before = _departure(rows["value"], rows["timestamp"], case.onset)
            checked += 1
            departed += after > 4
            calm_before += after > before
    assert checked >= 0.9 * COUNT
    assert departed >= 0.9 * checked
    assert calm_before >= 0.9 * checked


def test_effects_on_other_services_come_after_the_onset(suite: list[Case]) -> None:
    with_effects = 0
    for case in suite:
        assert case.root_cause not in case.effects
        assert all(when > case.onset for when in case.effects.values())
        assert set(case.effects) <= set(case.services)
        with_effects += bool(case.effects)
    assert with_effects >= 0.8 * COUNT


def test_load_shifts_are_on_services_that_do_not_feed_the_root_cause(suite: list[Case]) -> None:
    shifted = [case for case in suite if case.load_shift is not None]
    assert len(shifted) >= 0.15 * COUNT
    for case in shifted:
        assert case.load_shift not in (case.root_cause, case.victim)
        below, todo = set(), [case.load_shift]
        while todo:
            here = todo.pop()
            for caller, callee in case.calls:
                if caller == here and callee not in below:
                    below.add(callee)
                    todo.append(callee)
        assert case.root_cause not in below
