"""The /rca card's links: Grafana over the analysed window, Prometheus' graph of the top
candidate's query on PROMETHEUS_URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from analysis.evidence import Candidate, RcaResult
from analysis.prometheus import PrometheusSource
from config.settings import load_settings
from skills.rca_links import rca_links, top_query

END = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
START = END - timedelta(minutes=30)
ONSET = pd.Timestamp(END - timedelta(minutes=10))


def _result(entity: str, metric: str) -> RcaResult:
    top = Candidate(entity, metric, 0.9, ONSET, 0.1, 2.0, "up", ())
    return RcaResult((top,), ONSET, "root_cause")


def test_grafana_and_the_top_candidates_graph() -> None:
    settings = load_settings(
        {"GRAFANA_URL": "https://grafana.example.com"},
        grafana={"dashboards": {"payments": "pay"}},
    )
    source = PrometheusSource("http://prom.example:9090", services={"payments": {}})
    try:
        result = _result("payments-7d9f8c6b5-x2k4q", "cpu_usage_cores")
        links = rca_links(settings, source, "payments", "default", result, START, END)
    finally:
        source.close()
    assert list(links) == ["grafana", "prometheus"]
    grafana = parse_qs(urlsplit(links["grafana"]).query)
    assert grafana["from"] == [str(int(START.timestamp()) * 1000)]
    assert grafana["to"] == [str(int(END.timestamp()) * 1000)]
    prometheus = urlsplit(links["prometheus"])
    assert prometheus.netloc == "prom.example:9090" and prometheus.path == "/graph"
    query = parse_qs(prometheus.query)
    assert 'pod="payments-7d9f8c6b5-x2k4q"' in query["g0.expr"][0]
    assert query["g0.range_input"] == ["30m"]
    assert query["g0.end_input"] == ["2026-12-03 04:00:00"]


def test_no_candidate_or_no_catalogue_gives_no_prometheus_link() -> None:
    settings = load_settings({})
    none = RcaResult((), None, "no_anomaly")
    assert rca_links(settings, object(), "payments", "default", none, START, END) == {}
    result = _result("payments", "cpu_usage_cores")
    assert top_query(object(), "payments", "default", result, START, END) is None
