"""The demo scenario generator's OpenMetrics text and the backfill runner's failures."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import requests

from sandbox.demo import (
    BackfilledPrometheus,
    BackfillError,
    MissingBinary,
    find_binary,
    healthy_scenario,
    incident_scenario,
    openmetrics,
)
from sandbox.demo.backfill import split_openmetrics

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


@pytest.fixture(scope="module")
def history_text() -> str:
    return incident_scenario(start=START, minutes=20, onset_minute=10, history_days=2).text


def test_history_is_coarse_then_fine_and_counters_keep_counting(history_text) -> None:
    series = _samples(history_text)
    requests = next(v for (name, _), v in series.items() if name == "http_requests_total")
    stamps = np.array([s for s, _ in requests])
    first = int(START.timestamp())
    assert stamps[0] == first - 2 * 86_400
    assert set(np.diff(stamps[stamps < first - 6 * 3600])) == {300}
    recent = stamps[(stamps >= first - 6 * 3600) & (stamps < first)]
    assert set(np.diff(recent)) == {120} and set(np.diff(stamps[stamps >= first])) == {15}
    for (name, _), values in series.items():
        if name.endswith("_total") or name.endswith("_count"):
            counts = np.array([v for _, v in values])
            assert (np.diff(counts) >= 0).all(), name
    buckets = next(v for (name, _), v in series.items() if name.endswith("_bucket"))
    assert buckets[0][0] == first - 6 * 3600  # latency only for the recent stretch


def test_split_pieces_hold_every_sample_once_within_aligned_spans(history_text) -> None:
    pieces = split_openmetrics(history_text, 12 * 3600)
    assert len(pieces) >= 4
    lines: list[str] = []
    for piece in pieces:
        assert piece.endswith("# EOF\n")
        samples = [line for line in piece.splitlines() if line and not line.startswith("#")]
        spans = {int(line.rsplit(" ", 1)[1]) // (12 * 3600) for line in samples}
        assert len(spans) == 1
        assert piece.startswith("# TYPE")
        lines += samples
    original = [line for line in history_text.splitlines() if line and not line.startswith("#")]
    assert sorted(lines) == sorted(original)


def test_history_backfills_and_answers_a_week_back(history_text, tmp_path) -> None:
    with BackfilledPrometheus(history_text, tmp_path) as prometheus:
        answer = requests.get(
            f"{prometheus.url}/api/v1/query",
            params={
                "query": "count(count_over_time(http_requests_total[47h]) > 400)",
                "time": str(START.timestamp()),
            },
            timeout=10,
        ).json()
    assert float(answer["data"]["result"][0]["value"][1]) > 0
