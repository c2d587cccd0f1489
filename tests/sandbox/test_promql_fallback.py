"""The no-Prometheus fallback: the PromQL subset evaluated by hand-checked rules, and the
same demo incident served by it and by a real Prometheus giving the same frames."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.prometheus import PrometheusQueryError, PrometheusSource
from analysis.ranking import rank_root_causes
from sandbox.metrics.demo_metrics import DemoMetrics, start_demo_metrics
from sandbox.metrics.promql_eval import SeriesStore, StoredSeries, evaluate
from sandbox.metrics.promql_parse import parse

END = datetime.now(UTC).replace(second=0, microsecond=0)


def _store(*series: tuple[dict[str, str], list[float]]) -> SeriesStore:
    stamps = np.arange(0.0, 15.0 * 9, 15.0)  # 0, 15, ... 120 s
    return SeriesStore(
        StoredSeries(labels, stamps[: len(values)], np.array(values, dtype=float))
        for labels, values in series
    )


def test_rate_is_the_per_second_increase_and_survives_a_counter_reset() -> None:
    store = _store(
        ({"__name__": "x_total", "pod": "a"}, [0, 30, 60, 90, 120, 150, 180, 210, 240]),
        ({"__name__": "x_total", "pod": "b"}, [100, 130, 160, 10, 40, 70, 100, 130, 160]),
    )
    steps = np.array([120.0])
    rates = evaluate("rate(x_total[1m])", store, steps)
    assert isinstance(rates, dict)
    by_pod = {dict(k)["pod"]: v[0] for k, v in rates.items()}
    assert by_pod == pytest.approx({"a": 2.0, "b": 2.0})  # 30 per 15 s, reset included
    increase = evaluate('sum(increase(x_total{pod="a"}[1m]))', store, steps)
    assert isinstance(increase, dict) and increase[()][0] == pytest.approx(120.0)


def test_matchers_sum_by_and_division_keep_only_matching_series() -> None:
    store = _store(
        ({"__name__": "req_total", "pod": "web-1", "code": "200"}, [0, 90, 180, 270, 360]),
        ({"__name__": "req_total", "pod": "web-1", "code": "503"}, [0, 10, 20, 30, 40]),
        ({"__name__": "req_total", "pod": "db-1", "code": "500"}, [0, 99, 198, 297, 396]),
    )
    query = (
        'sum(rate(req_total{pod=~"web-.*", code=~"5.."}[1m]))'
        ' / sum(rate(req_total{pod=~"web-.*"}[1m]))'
    )
    ratio = evaluate(query, store, np.array([60.0]))
    assert isinstance(ratio, dict) and ratio[()][0] == pytest.approx(0.1)
    per_pod = evaluate('sum by (pod) (req_total{code!="200"})', store, np.array([60.0]))
    assert isinstance(per_pod, dict)
    assert {dict(k)["pod"]: v[0] for k, v in per_pod.items()} == {"web-1": 40.0, "db-1": 396.0}


def test_histogram_quantile_interpolates_inside_the_bucket() -> None:
    buckets = [("0.1", 50.0), ("0.5", 90.0), ("+Inf", 100.0)]
    store = _store(*(({"__name__": "lat_bucket", "le": le}, [0.0, n * 15]) for le, n in buckets))
    steps = np.array([15.0])
    for q, expected in ((0.5, 0.1), (0.7, 0.3), (0.9, 0.5), (0.99, 0.5)):
        query = f"histogram_quantile({q}, sum by (le) (rate(lat_bucket[1m])))"
        value = evaluate(query, store, steps)
        assert isinstance(value, dict) and value[()][0] == pytest.approx(expected), q


def test_or_falls_back_to_the_second_expression_and_stale_samples_vanish() -> None:
    store = _store(({"__name__": "up", "job": "b"}, [1.0]))
    value = evaluate('missing or up{job="b"}', store, np.array([0.0, 299.0, 301.0]))
    assert isinstance(value, dict)
    assert np.isnan(value[(("__name__", "up"), ("job", "b"))][2])  # older than 5 minutes
    assert value[(("__name__", "up"), ("job", "b"))][:2].tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    "query", ["", "rate(x[1m]", "x{a=b}", "topk(3, x)", "x + y", "rate(x)", "{}"]
)
def test_expressions_outside_the_subset_are_refused(query: str) -> None:
    with pytest.raises(ValueError):
        evaluate(parse(query), SeriesStore([]), np.array([0.0]))


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoMetrics, DemoMetrics]]:
    workdir = Path(tmp_path_factory.mktemp("metrics"))
    real = start_demo_metrics(workdir / "real", END, engine="prometheus")
    fallback = start_demo_metrics(workdir / "fallback", END, engine="fallback")
    real.ready()  # backfilled in the background
    fallback.ready()
    yield real, fallback
    real.stop()
    fallback.stop()


def _frame(metrics: DemoMetrics, service: str) -> pd.DataFrame:
    source = PrometheusSource(metrics.url, services=metrics.services_config())
    namespace = str(metrics.services_config()[service]["namespace"])
    return source.fetch(service, namespace, END - timedelta(minutes=30), END)


@pytest.mark.parametrize("service", ["payments", "storefront"])
def test_the_fallback_answers_like_a_real_prometheus(
    both: tuple[DemoMetrics, DemoMetrics], service: str
) -> None:
    real, fallback = both
    assert (real.engine, fallback.engine) == ("prometheus", "fallback")
    keys = ["entity", "metric", "timestamp"]
    merged = _frame(real, service).merge(
        _frame(fallback, service), on=keys, suffixes=("_real", "_fallback"), how="outer"
    )
    assert merged["value_real"].notna().all() and merged["value_fallback"].notna().all()
    assert set(merged["metric"]) >= {"cpu_throttled_ratio", "latency_p99_seconds", "ready"}
    close = np.isclose(merged["value_real"], merged["value_fallback"], rtol=0.1, atol=1e-3)
    assert close.mean() > 0.97, merged[~close].head(10).to_string()


def test_rca_on_the_fallback_names_the_starved_dependency(
    both: tuple[DemoMetrics, DemoMetrics],
) -> None:
    fallback = both[1]
    culprit = fallback.scenarios[0].culprit
    result = rank_root_causes(_frame(fallback, "payments"), None, 5)
    assert result.top is not None and result.top.entity.startswith(f"{culprit}-")


def test_a_query_outside_the_subset_is_a_query_error(
    both: tuple[DemoMetrics, DemoMetrics],
) -> None:
    source = PrometheusSource(both[1].url)
    with pytest.raises(PrometheusQueryError):
        source.query_range_expr("topk(3, up)", END - timedelta(minutes=5), END)
    source.ping()  # vector(1) answers


@pytest.mark.parametrize("engine", [0, 1], ids=["prometheus", "fallback"])
def test_a_week_of_seasonal_request_rate_lies_before_the_incident(
    both: tuple[DemoMetrics, DemoMetrics], engine: int
) -> None:
    """What /forecast reads (7 days of request_rate at the source's step) has a daily
    season; the day before the incident has every signal (what the anomaly scan reads)."""
    metrics = both[engine]
    source = PrometheusSource(metrics.url, services=metrics.services_config())
    week = source.fetch("payments", "payments", END - timedelta(days=7), END)
    rate = week[week["metric"] == "request_rate"].set_index("timestamp")["value"].sort_index()
    assert rate.index[0] <= pd.Timestamp(END - timedelta(days=6, hours=23))
    assert len(rate) >= 250  # at the 7-day step (~34 min): nearly every point answers
    hourly = rate.groupby(rate.index.hour).mean()
    assert hourly.max() / hourly.min() > 1.5  # busy afternoons, quiet nights
    weekday = rate.groupby(rate.index.day_of_week >= 5).mean()
    assert weekday[True] < 0.9 * weekday[False]  # quieter weekends
    day = source.fetch("payments", "payments", END - timedelta(days=1), END)  # the scan's
    before = day[day["timestamp"] < pd.Timestamp(END - timedelta(hours=2))]
    counts = before.groupby("metric")["timestamp"].nunique()
    for signal in ("latency_p99_seconds", "cpu_throttled_ratio", "request_rate"):
        assert counts.get(signal, 0) >= 40, counts  # hours of history, not the last hour
