"""PrometheusSource.fetch against a real Prometheus holding backfilled scenarios."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from analysis.frames import pivot_series
from analysis.prometheus import NoData, load_catalogue

POD_SIGNALS = {
    "cpu_usage_cores",
    "cpu_throttled_ratio",
    "memory_working_set_bytes",
    "restarts",
    "ready",
}
SERVICE_SIGNALS = {"request_rate", "error_ratio", "latency_p90_seconds", "latency_p99_seconds"}
EDGE_SIGNALS = {"call_latency_p90_ms", "call_error_ratio"}
CALLS = {"payments->ledger", "payments->fraud", "payments->accounts"}
LAST_30 = timedelta(minutes=30)


def test_default_catalogue_names_pod_and_service_signals() -> None:
    catalogue = load_catalogue()
    by_scope = {
        scope: {s.name for s in catalogue.signals if s.scope == scope}
        for scope in ("pod", "service", "edge")
    }
    assert by_scope == {"pod": POD_SIGNALS, "service": SERVICE_SIGNALS, "edge": EDGE_SIGNALS}


def test_fetch_returns_the_tidy_frame_of_one_service(backfilled, source_for) -> None:
    incident = backfilled.incident
    frame = source_for().fetch("payments", "payments", incident.end - LAST_30, incident.end)

    assert list(frame.columns) == ["timestamp", "entity", "metric", "value"]
    assert isinstance(frame["timestamp"].dtype, pd.DatetimeTZDtype)
    assert str(frame["timestamp"].dt.tz) == "UTC"
    assert frame["value"].dtype == float
    pods = set(incident.pods["payments"])
    assert set(frame["entity"]) == pods | {"payments"} | CALLS
    pairs = set(zip(frame["entity"], frame["metric"], strict=True))
    expected = (
        {(pod, m) for pod in pods for m in POD_SIGNALS}
        | {("payments", m) for m in SERVICE_SIGNALS}
        | {(call, m) for call in CALLS for m in EDGE_SIGNALS}
    )
    assert pairs == expected
    assert frame["timestamp"].min() >= incident.end - LAST_30
    assert frame["timestamp"].max() <= incident.end
    assert frame.attrs["missing"] == []


def test_fetch_values_match_the_scenario_levels(backfilled, source_for) -> None:
    # Before the onset, payments serves 3 pods x 40 req/s with a ready flag of 1 per pod.
    incident = backfilled.incident
    end = incident.onset - timedelta(minutes=5)
    frame = source_for().fetch("payments", "payments", end - LAST_30, end)
    mean = frame.groupby("metric")["value"].mean()
    assert mean["request_rate"] == pytest.approx(120, rel=0.05)
    assert mean["ready"] == 1.0
    assert mean["error_ratio"] == pytest.approx(0.002, abs=0.001)
    assert 0.045 < mean["latency_p90_seconds"] < mean["latency_p99_seconds"] < 1.0
    calls = frame[frame["metric"] == "call_latency_p90_ms"].groupby("entity")["value"].mean()
    # p90 of a log-normal call latency (sigma 0.6) is 2.16 x its median: ledger's 12 ms
    # plus half a millisecond of network, read through Istio's coarse buckets.
    assert 12.5 < calls["payments->ledger"] < 50
    assert calls["payments->accounts"] < calls["payments->fraud"]  # 8 ms vs 20 ms medians
    errors = frame[frame["metric"] == "call_error_ratio"]["value"]
    assert errors.between(0.0, 0.01).all()


def test_a_delayed_call_shows_on_its_edge_and_not_on_the_callee(backfilled, source_for) -> None:
    delayed = backfilled.delayed
    source = source_for(services=delayed.services_config())
    before = source.fetch("payments", "mesh", delayed.onset - LAST_30, delayed.onset)
    after = source.fetch("payments", "mesh", delayed.end - timedelta(minutes=10), delayed.end)

    def mean(frame: pd.DataFrame, entity: str, metric: str) -> float:
        rows = frame[(frame["entity"] == entity) & (frame["metric"] == metric)]
        return float(rows["value"].mean())

    slow = mean(after, "payments->ledger", "call_latency_p90_ms")
    assert slow > mean(before, "payments->ledger", "call_latency_p90_ms") + 150  # 200 ms delay
    fine = mean(after, "payments->fraud", "call_latency_p90_ms")
    assert fine < mean(before, "payments->fraud", "call_latency_p90_ms") * 1.5
    ledger_pods = set(delayed.pods["ledger"])
    own = {
        when: frame[frame["entity"].isin(ledger_pods) & (frame["metric"] == "cpu_usage_cores")]
        for when, frame in (("before", before), ("after", after))
    }
    assert own["after"]["value"].mean() < own["before"]["value"].mean() * 1.2


def test_declared_dependencies_are_fetched_with_the_service(backfilled, source_for) -> None:
    incident = backfilled.incident
    source = source_for(services=incident.services_config())
    frame = source.fetch("payments", "payments", incident.end - LAST_30, incident.end)
    every_pod = {pod for pods in incident.pods.values() for pod in pods}
    assert set(frame["entity"]) == every_pod | set(incident.services) | CALLS


def test_no_series_exceeds_300_points_over_the_whole_scenario(backfilled, source_for) -> None:
    incident = backfilled.incident
    span = incident.end - incident.start
    assert span / timedelta(seconds=15) + 1 > 300  # 15 s steps would be too many
    source = source_for()
    frame = source.fetch("payments", "payments", incident.start, incident.end)
    counts = frame.groupby(["entity", "metric"]).size()
    assert counts.max() <= 300
    step = source.step_for(incident.start, incident.end)
    assert step > timedelta(seconds=15)
    gaps = frame.sort_values("timestamp").groupby(["entity", "metric"])["timestamp"].diff()
    assert set(gaps.dropna()) == {pd.Timedelta(step)}
    assert frame.attrs["step"] == step.total_seconds()


def test_a_day_long_window_still_yields_at_most_300_points(backfilled, source_for) -> None:
    incident = backfilled.incident
    start = incident.end - timedelta(days=3)
    frame = source_for().fetch("payments", "payments", start, incident.end)
    assert frame.groupby(["entity", "metric"]).size().max() <= 300
    assert pivot_series(frame).values.shape[1] <= 300


def test_pod_regex_override_finds_pods_named_otherwise(backfilled, source_for) -> None:
    healthy = backfilled.healthy
    window = (healthy.end - LAST_30, healthy.end)
    with pytest.raises(NoData):
        source_for().fetch("storefront", "shop", *window)
    override = {"storefront": {"pod_regex": "web-.*", "namespace": "shop"}}
    frame = source_for(services=override).fetch("storefront", "default", *window)
    assert set(frame["entity"]) == set(healthy.pods["storefront"]) | {"storefront"}
    assert all(pod.startswith("web-") for pod in healthy.pods["storefront"])


def test_unknown_service_raises_no_data_naming_service_namespace_window(
    backfilled, source_for
) -> None:
    end = backfilled.incident.end
    with pytest.raises(NoData) as caught:
        source_for().fetch("billing", "payments", end - LAST_30, end)
    text = str(caught.value)
    assert "'billing'" in text and "'payments'" in text
    assert (end - LAST_30).isoformat() in text and end.isoformat() in text


def test_signals_without_series_are_skipped_and_listed(backfilled, source_for) -> None:
    extra = {
        "name": "grpc_errors",
        "scope": "service",
        "query": 'sum(rate(grpc_server_handled_total{{pods}, grpc_code!="OK"}[{window}]))',
    }
    source = source_for(catalogue=load_catalogue().extended([extra]))
    end = backfilled.incident.end
    frame = source.fetch("payments", "payments", end - LAST_30, end)
    assert "grpc_errors" not in set(frame["metric"])
    assert frame.attrs["missing"] == [("payments", "grpc_errors")]


def test_query_range_expr_labels_each_series(backfilled, source_for) -> None:
    incident = backfilled.incident
    expr = 'kube_pod_status_ready{namespace="payments", pod=~"ledger-.*", condition="true"}'
    frame = source_for().query_range_expr(expr, incident.end - LAST_30, incident.end)
    assert set(frame["metric"]) == {"kube_pod_status_ready"}
    assert set(frame["entity"]) == {
        f'{{condition="true", job="kube-state-metrics", namespace="payments", pod="{pod}"}}'
        for pod in incident.pods["ledger"]
    }
    assert set(frame["value"]) == {1.0}
