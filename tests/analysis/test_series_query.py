"""The PromQL behind a ranked series, as the RCA card's Prometheus link shows it."""

from __future__ import annotations

from datetime import timedelta

from analysis.prometheus.catalogue import Catalogue, Signal
from analysis.prometheus.queries import series_query
from analysis.prometheus.targets import ServiceTarget

CATALOGUE = Catalogue(
    (
        Signal("cpu_usage_cores", "sum by (pod) (rate(cpu{{pods}}[{window}]))", "pod"),
        Signal("request_rate", 'sum(rate(http{{pods}, svc="{service}"}[{window}]))', "service"),
        Signal("edge_errors", "sum(rate(calls{{namespace}}[{window}]))", "edge"),
    )
)
SERVICES = {
    "payments": ServiceTarget(depends_on=("ledger",)),
    "ledger": ServiceTarget(namespace="core", pod_regex="ledger-v2-.*"),
}


def test_a_pod_signal_is_narrowed_to_the_pod_of_the_service_that_owns_it() -> None:
    query = series_query(
        CATALOGUE,
        SERVICES,
        "payments",
        "prod",
        "ledger-v2-abc",
        "cpu_usage_cores",
        timedelta(seconds=15),
    )
    assert query == 'sum by (pod) (rate(cpu{namespace="core", pod="ledger-v2-abc"}[2m]))'


def test_a_service_signal_uses_its_services_pod_matcher_and_the_larger_window() -> None:
    query = series_query(
        CATALOGUE, SERVICES, "payments", "prod", "payments", "request_rate", timedelta(minutes=5)
    )
    assert query == 'sum(rate(http{namespace="prod", pod=~"payments-.*", svc="payments"}[5m]))'


def test_edge_signals_use_the_root_service_and_unknown_signals_give_none() -> None:
    edge = series_query(CATALOGUE, {}, "payments", "prod", "a→b", "edge_errors", timedelta(0))
    assert edge == "sum(rate(calls{prod}[2m]))"
    assert series_query(CATALOGUE, {}, "payments", "prod", "x", "nope", timedelta(0)) is None
