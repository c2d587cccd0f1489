"""The demo scenario generator's OpenMetrics text and the backfill runner's failures."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from analysis.demo import (
    BackfilledPrometheus,
    BackfillError,
    MissingBinary,
    find_binary,
    healthy_scenario,
    incident_scenario,
    openmetrics,
)

START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
LINE = re.compile(r"^([a-z_]+)(\{[^}]*\})? (\S+) (\d+)$")


def _samples(text: str) -> dict[tuple[str, str], list[tuple[int, float]]]:
    series: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = LINE.match(line)
        assert match, line
        name, labels, value, stamp = match.groups()
        series[(name, labels or "")].append((int(stamp), float(value)))
    return series


@pytest.fixture(scope="module")
def incident_text() -> str:
    return incident_scenario(start=START, minutes=20, onset_minute=10).text


def test_text_is_openmetrics_with_one_type_line_per_family(incident_text) -> None:
    lines = incident_text.splitlines()
    assert lines[-1] == "# EOF"
    types = [line.split()[2] for line in lines if line.startswith("# TYPE")]
    assert len(types) == len(set(types))
    assert {"container_cpu_usage_seconds", "http_request_duration_seconds"} <= set(types)


def test_counters_never_decrease_and_times_ascend_on_the_15s_grid(incident_text) -> None:
    for (name, labels), points in _samples(incident_text).items():
        stamps = np.array([t for t, _ in points])
        assert stamps[0] == START.timestamp() and set(np.diff(stamps)) == {15}, (name, labels)
        if name.endswith(("_total", "_bucket", "_count", "_sum")):
            assert np.all(np.diff([v for _, v in points]) >= 0), (name, labels)


def test_histogram_buckets_are_cumulative(incident_text) -> None:
    buckets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (name, labels), points in _samples(incident_text).items():
        if name == "http_request_duration_seconds_bucket":
            le = re.search(r'le="([^"]+)"', labels).group(1)
            pod = re.search(r'pod="([^"]+)"', labels).group(1)
            buckets[pod].append((float(le), points[-1][1]))
    assert buckets
    for pod, pairs in buckets.items():
        counts = [count for _, count in sorted(pairs)]
        assert counts == sorted(counts), pod


def test_culprit_throttles_only_after_the_onset() -> None:
    scenario = incident_scenario(start=START, minutes=20, onset_minute=10, culprit="fraud")
    onset = scenario.onset.timestamp()
    for (name, labels), points in _samples(scenario.text).items():
        if name != "container_cpu_cfs_throttled_periods_total":
            continue
        values = np.array([v for _, v in points])
        stamps = np.array([t for t, _ in points])
        before = np.diff(values)[stamps[1:] <= onset].mean() / 150
        after = np.diff(values)[stamps[1:] >= onset + 120].mean() / 150
        starved = 'pod="fraud-' in labels
        assert (after > 0.5 > before) if starved else (after < 0.1 and before < 0.1), labels


def test_default_window_ends_an_hour_or_more_before_now() -> None:
    scenario = healthy_scenario(minutes=10)
    now = datetime.now(UTC)
    assert now - timedelta(minutes=62) <= scenario.end <= now - timedelta(minutes=59)
    assert scenario.end - scenario.start == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"culprit": "payments"}, "culprit"),
        ({"onset_minute": 58}, "onset_minute"),
        ({"minutes": 5}, "minutes"),
    ],
)
def test_bad_incident_options_are_rejected(options, message) -> None:
    with pytest.raises(ValueError, match=message):
        incident_scenario(start=START, **options)


def test_scenarios_merge_into_one_text() -> None:
    a = healthy_scenario(service="alpha", start=START, minutes=10)
    b = healthy_scenario(service="beta", start=START, minutes=10)
    merged = openmetrics(a, b)
    assert merged.count("# TYPE http_requests counter") == 1
    assert 'pod="alpha-' in merged and 'pod="beta-' in merged


def test_missing_binary_names_the_package() -> None:
    with pytest.raises(MissingBinary, match="apt-get install -y prometheus"):
        find_binary("prometheus-does-not-exist")


def test_promtool_rejection_is_reported(tmp_path) -> None:
    text = '# TYPE x gauge\nx{a="1"} not-a-number 1700000000\n# EOF\n'
    with (
        pytest.raises(BackfillError, match="promtool failed"),
        BackfilledPrometheus(text, tmp_path),
    ):
        pass


def test_text_without_eof_is_rejected(tmp_path) -> None:
    with pytest.raises(ValueError, match="# EOF"):
        BackfilledPrometheus("x 1 1700000000\n", tmp_path)
