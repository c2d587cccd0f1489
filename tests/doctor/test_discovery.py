"""Metric names out of PromQL templates, and signals suggested from the names a service has."""

from __future__ import annotations

import yaml

from analysis.prometheus import load_catalogue
from analysis.prometheus.discovery import metric_names, signals_yaml, suggest_signals
from analysis.prometheus.templates import render_query


def test_metric_names_skip_functions_and_keywords() -> None:
    query = (
        "histogram_quantile(0.9, sum by (le) (rate(a_bucket{{pods}}[{window}])))"
        ' or sum without (pod) (b_total{job="x"}) / on (job) c:recorded{{pods}}'
    )
    assert metric_names(query) == ["a_bucket", "b_total", "c:recorded"]


def test_istio_metrics_fill_the_http_signals_and_keep_the_default() -> None:
    catalogue = load_catalogue()
    found = suggest_signals(
        catalogue,
        missing={"request_rate", "error_ratio", "latency_p90_seconds", "cpu_usage_cores"},
        present={"istio_requests_total", "istio_request_duration_milliseconds_bucket"},
    )
    names = [signal.name for signal, _ in found]
    assert names == ["request_rate", "error_ratio", "latency_p90_seconds"]
    rate = found[0][0].query
    assert "http_requests_total" in rate and "istio_requests_total" in rate  # default kept
    block = yaml.safe_load(signals_yaml(signal for signal, _ in found))
    pasted = block["prometheus"]["signals"][0]
    assert pasted["name"] == "request_rate" and pasted["scope"] == "service"
    rendered = render_query(pasted["query"], service="s", namespace="n", window="2m", pods="X")
    assert "istio_requests_total{X, reporter=" in rendered


def test_nothing_is_suggested_without_a_known_metric() -> None:
    catalogue = load_catalogue()
    assert suggest_signals(catalogue, {"request_rate"}, {"my_own_requests_total"}) == []
    assert signals_yaml([]) == ""
