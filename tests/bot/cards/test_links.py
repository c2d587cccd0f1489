"""The link builders of alert and RCA cards: windows, encodings, and http(s) only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot.cards.alert import AlertView, alert_card
from bot.cards.link_row import link_row
from bot.cards.links import (
    grafana_url,
    matcher_filter,
    prometheus_graph_url,
    prometheus_window_url,
    range_text,
    silence_url,
    web_url,
)
from bot.cards.schema import validate_card
from bot.cards.validation import card_problems

START = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
END = START + timedelta(hours=1, minutes=30)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_grafana_opens_the_window_in_epoch_milliseconds() -> None:
    url = grafana_url("https://grafana.example.com/", "abc123", START, END)
    assert url is not None
    assert url.startswith("https://grafana.example.com/d/abc123?")
    assert _query(url)["from"] == [str(int(START.timestamp()) * 1000)] == ["1796270400000"]
    assert _query(url)["to"] == ["1796275800000"]


def test_grafana_takes_a_path_or_a_whole_url_and_keeps_its_query() -> None:
    path = grafana_url("http://g:3000", "/d/x1/payments?orgId=2", START, END, {"service": "p"})
    assert path is not None and path.startswith("http://g:3000/d/x1/payments?")
    assert _query(path)["orgId"] == ["2"] and _query(path)["var-service"] == ["p"]
    whole = grafana_url(None, "https://other/d/y?from=now-1h", START, END)
    assert whole is not None and _query(whole)["from"] == ["1796270400000"]  # replaced


@pytest.mark.parametrize(
    ("base", "dashboard"),
    [(None, "abc"), ("ftp://g", "abc"), ("javascript:alert(1)", "abc"), ("https://g", None)],
)
def test_grafana_without_a_web_base_or_dashboard_gives_no_link(
    base: str | None, dashboard: str | None
) -> None:
    assert grafana_url(base, dashboard, START, END) is None


def test_prometheus_graph_has_the_expression_range_and_end() -> None:
    expr = 'rate(http_requests_total{service="payments"}[5m])'
    url = prometheus_graph_url("http://prom:9090/", expr, START, END)
    assert url is not None and url.startswith("http://prom:9090/graph?")
    query = _query(url)
    assert query["g0.expr"] == [expr]
    assert query["g0.tab"] == ["0"]
    assert query["g0.range_input"] == ["1h30m"]
    assert query["g0.end_input"] == ["2026-12-03 05:30:00"]  # UTC, as Prometheus reads it
    assert web_url(url) == url  # braces and quotes are encoded
    assert prometheus_graph_url("http://prom:9090", "  ", START, END) is None
    assert prometheus_graph_url("file:///etc", expr, START, END) is None


def test_a_generator_url_gets_the_window_and_keeps_its_expression() -> None:
    generator = "http://prom:9090/graph?g0.expr=up%7Bjob%3D%22api%22%7D+%3D%3D+0&g0.tab=1"
    url = prometheus_window_url(generator, START, END)
    assert url is not None and url.startswith("http://prom:9090/graph?")
    query = _query(url)
    assert query["g0.expr"] == ['up{job="api"} == 0']
    assert query["g0.tab"] == ["0"] and query["g0.range_input"] == ["1h30m"]
    assert prometheus_window_url("http://prom:9090/alerts", START, END) == (
        "http://prom:9090/alerts"
    )
    assert prometheus_window_url("javascript:alert(1)//?g0.expr=up", START, END) is None
    assert prometheus_window_url("", START, END) is None


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "1s"), (45, "45s"), (3600, "1h"), (90061, "1d1h1m1s")]
)
def test_range_text(seconds: float, text: str) -> None:
    assert range_text(seconds) == text


def test_the_silence_page_carries_the_encoded_matchers() -> None:
    labels = {"severity": "critical", "alertname": 'Odd "name"', "namespace": "payments"}
    url = silence_url("http://am:9093/", labels)
    assert url is not None
    prefix = "http://am:9093/#/silences/new?filter="
    assert url.startswith(prefix)
    encoded = url.removeprefix(prefix)
    assert "%7B" in encoded and "{" not in encoded and " " not in encoded
    assert unquote(encoded) == matcher_filter(labels)
    assert matcher_filter(labels) == (
        '{alertname="Odd \\"name\\"",namespace="payments",severity="critical"}'
    )
    assert silence_url("http://am:9093", {}) is None
    assert silence_url("gopher://am", labels) is None


def test_link_row_keeps_known_web_links_in_order() -> None:
    row = link_row(
        {"silence": "http://am/#/x", "grafana": "https://g/d/a", "evil": "http://e", "x": ""},
        "en-US",
    )
    assert row is not None
    urls = [c["elements"][0]["behaviors"][0]["default_url"] for c in row["columns"]]
    assert urls == ["https://g/d/a", "http://am/#/x"]
    assert link_row({"grafana": "javascript:alert(1)"}, "en-US") is None


def test_an_alert_card_with_links_stays_valid() -> None:
    view = AlertView(
        "k",
        "firing",
        "HighLatency",
        "critical",
        {"alertname": "HighLatency"},
        {},
        [],
        links={
            "grafana": "https://g/d/a?from=1&to=2",
            "prometheus": "http://p:9090/graph?g0.expr=up",
            "silence": "http://am/#/silences/new?filter=%7B%7D",
        },
    )
    built = alert_card(view, "zh-CN", "UTC")
    validate_card(built)
    text = str(built)
    assert "open_url" in text and "https://g/d/a?from=1&to=2" in text


@pytest.mark.parametrize("seed", range(12))
def test_links_from_odd_inputs_never_break_a_card(seed: int) -> None:
    from tests.bot.cards.random_inputs import Inputs

    x = Inputs(seed)
    labels = {x.text(40) or f"k{i}": x.text(300) for i in range(x.count(20))}
    base = x.url()
    links = {
        "grafana": grafana_url(base, x.text(200) or "uid", START, END, {"service": x.text(80)}),
        "prometheus": prometheus_graph_url(base, x.text(500), START, END),
        "silence": silence_url(base, labels),
    }
    row = link_row({k: v for k, v in links.items() if v}, x.rng.choice(["zh-CN", "en-US"]))
    view = AlertView("k", "firing", "A", "critical", labels, {}, [])
    built = alert_card(view, "en-US", "UTC")
    if row is not None:
        built["body"]["elements"].append(row)
    assert card_problems(built) == []
    for url in links.values():
        assert url is None or web_url(url) == url


def test_an_rca_card_shows_its_links_after_the_buttons() -> None:
    import pandas as pd

    from analysis.evidence import RcaResult
    from bot.cards.rca import RcaView, rca_card

    view = RcaView(
        "payments",
        "default",
        "30m",
        RcaResult((), None, "no_anomaly"),
        pd.DataFrame(columns=["timestamp", "entity", "metric", "value"]),
        links={"grafana": "https://g/d/a", "prometheus": "http://p:9090/graph?g0.expr=up"},
    )
    built = rca_card(view, "zh-CN")
    validate_card(built)
    last = built["body"]["elements"][-1]
    urls = [c["elements"][0]["behaviors"][0]["default_url"] for c in last["columns"]]
    assert urls == ["https://g/d/a", "http://p:9090/graph?g0.expr=up"]
