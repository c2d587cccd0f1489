"""Card conventions: chart points, times in the configured timezone, units, pod roll-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis.evidence import Candidate, Evidence, RcaResult
from bot.cards.alert import AlertView, alert_card
from bot.cards.chart_data import MAX_POINTS, bucket_series
from bot.cards.clock import card_time
from bot.cards.rca import RcaView, chart_spec, rca_card
from bot.cards.units import format_value, metric_label

START = pd.Timestamp("2026-12-03T10:00:00Z")


def _series(minutes: int, spike_at: int) -> tuple[np.ndarray, np.ndarray]:
    steps = minutes * 4
    times = START.timestamp() + 15 * np.arange(steps)
    values = np.ones(steps)
    values[spike_at] = 50.0
    return times, values


@pytest.mark.parametrize("minutes", [5, 29, 35, 120])
def test_buckets_keep_the_spike_and_label_every_bucket_distinctly(minutes: int) -> None:
    times, values = _series(minutes, spike_at=minutes * 4 // 3 + 1)
    bucketed = bucket_series({"a": (times, values)}, "Asia/Shanghai")
    assert len(bucketed.labels) <= MAX_POINTS
    assert len(set(bucketed.labels)) == len(bucketed.labels)
    assert max(v for v in bucketed.values["a"] if v is not None) == 50.0


def test_a_short_window_keeps_seconds_in_its_labels() -> None:
    times, values = _series(29, 3)
    labels = bucket_series({"a": (times, values)}, "UTC").labels
    assert all(len(label) == len("10:00:45") for label in labels)


def _rca_view(minutes: int, pods: int = 3, tz: str = "UTC") -> RcaView:
    times = pd.date_range(START, periods=minutes * 4, freq="15s")
    onset = times[len(times) // 2 + 3]
    names = [f"ledger-7d9f8c6b5-{i}abcd" for i in range(pods)]
    rows = [
        {"timestamp": ts, "entity": name, "metric": "latency_p99_seconds", "value": float(v)}
        for name in names
        for ts, v in zip(times, np.arange(len(times)) % 7, strict=True)
    ]
    evidence = (Evidence("error_ratio", onset, 0.01, 0.25, 0.8),)
    candidates = tuple(
        Candidate(name, "latency_p99_seconds", 0.9 - i / 10, onset, 0.12, 2.5, "up", evidence)
        for i, name in enumerate(names[:2])
    )
    result = RcaResult(candidates, onset, "root_cause")
    return RcaView("payments", "payments", f"{minutes}m", result, pd.DataFrame(rows), timezone=tz)


def test_the_rca_chart_has_at_most_40_points_per_series_and_marks_the_onset() -> None:
    view = _rca_view(120)
    spec = chart_spec(view.frame, view.result.candidates, "en-US")
    values = spec["data"]["values"]  # type: ignore[index]
    for series in {p["s"] for p in values}:
        labels = [p["t"] for p in values if p["s"] == series]
        assert len(labels) <= 40 and len(set(labels)) == len(labels)
    assert spec["markLine"][0]["x"] in {p["t"] for p in values}  # type: ignore[index]


def test_pods_of_one_deployment_share_a_row_with_their_count() -> None:
    card = rca_card(_rca_view(30, pods=3), "en-US")
    table = next(e for e in card["body"]["elements"] if e["tag"] == "table")
    assert [r["entity"] for r in table["rows"]] == ["ledger (2/3 pods)"]
    assert table["rows"][0]["metric"] == "p99 latency"
    assert table["rows"][0]["change"] == "120 ms → 2.5 s"


def test_times_are_in_the_configured_timezone() -> None:
    card = rca_card(_rca_view(30, tz="Asia/Shanghai"), "zh-CN")
    table = next(e for e in card["body"]["elements"] if e["tag"] == "table")
    onset = table["rows"][0]["onset"]  # 10:15:45 UTC, the day of the data
    assert onset == "今天 18:15:45"


@pytest.mark.parametrize(
    ("when", "tz", "lang", "shown"),
    [
        (datetime(2026, 12, 3, 12, 1, tzinfo=UTC), "Asia/Shanghai", "zh-CN", "今天 20:01"),
        (datetime(2026, 12, 2, 12, 1, 30, tzinfo=UTC), "UTC", "en-US", "12-02 12:01:30"),
        (datetime(2026, 12, 3, 17, 0, tzinfo=UTC), "Asia/Shanghai", "en-US", "12-04 01:00"),
    ],
)
def test_card_time(when: datetime, tz: str, lang: str, shown: str) -> None:
    now = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert card_time(when, tz, lang, now) == shown


@pytest.mark.parametrize(
    ("value", "metric", "lang", "shown"),
    [
        (0.125, "error_ratio", "en-US", "12.5%"),
        (3 * 2**30, "memory_working_set_bytes", "en-US", "3 GiB"),
        (300 * 2**20, "memory_working_set_bytes", "en-US", "300 MiB"),
        (0.25, "latency_p99_seconds", "en-US", "250 ms"),
        (1500.0, "call_latency_p90_ms (payments->ledger)", "en-US", "1.5 s"),
        (1.5, "cpu_usage_cores", "zh-CN", "1.5 核"),
        (42.0, "request_rate", "en-US", "42 req/s"),
        (7.0, "not_a_signal", "en-US", "7"),
        (float("nan"), "error_ratio", "en-US", "—"),
    ],
)
def test_values_carry_their_units(value: float, metric: str, lang: str, shown: str) -> None:
    assert format_value(value, metric, lang) == shown


def test_metric_names_are_human_in_both_languages_and_keep_the_edge() -> None:
    assert metric_label("call_error_ratio (payments->ledger)", "zh-CN") == (
        "调用错误率 (payments->ledger)"
    )
    assert metric_label("latency_p99_seconds", "en-US") == "p99 latency"
    assert metric_label("custom_signal", "en-US") == "custom_signal"


def test_the_alert_chart_has_at_most_40_points_per_series_named_once() -> None:
    start = int(datetime(2026, 12, 3, 10, tzinfo=UTC).timestamp())
    long_name = '{pod="payments-7d9f8c6b5-x2k4q", namespace="payments"}'
    chart = [
        {"t": start + 15 * i, "v": float(i % 9), "s": f"{long_name}{s}"}
        for s in range(3)
        for i in range(480)
    ]
    view = AlertView("k", "firing", "High", "critical", {}, {}, [], chart=chart)
    card = alert_card(view, "en-US", "UTC")
    spec = next(e for e in card["body"]["elements"] if e["tag"] == "chart")["chart_spec"]
    names = {p["s"] for p in spec["data"]["values"]}
    assert names == {"#1", "#2", "#3"}
    assert all(sum(p["s"] == n for p in spec["data"]["values"]) <= 40 for n in names)
    assert long_name in " ".join(e.get("content", "") for e in card["body"]["elements"])


def test_now_marks_today_when_given() -> None:
    view = _rca_view(30)
    later = RcaView(**{**view.__dict__, "now": START.to_pydatetime() + timedelta(days=2)})
    table = next(e for e in rca_card(later, "en-US")["body"]["elements"] if e["tag"] == "table")
    assert table["rows"][0]["onset"] == "12-03 10:15:45"
