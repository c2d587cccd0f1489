"""Alert cards link to the same window in Grafana and Prometheus and to Alertmanager's
silence page; the largest alert card with every link still fits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot.cards.alert import alert_card
from bot.cards.fitting import BUDGET_BYTES, BUDGET_ELEMENTS
from bot.cards.schema import validate_card
from bot.cards.validation import card_bytes, count_elements
from config.settings import GrafanaSettings, load_settings
from messages import LANGUAGES
from skills.alerts.delivery import view_of
from skills.alerts.links import LinkBases, alert_links, link_bases
from skills.alerts.payload import AlertGroup
from tests.push.payloads import EXPR, webhook
from tests.push.test_push_cards import big_alert

START = datetime(2025, 11, 25, 8, 17, 30, tzinfo=UTC)
END = datetime(2025, 11, 25, 9, 0, tzinfo=UTC)
BASES = LinkBases(
    grafana="https://grafana.example.com",
    dashboards=GrafanaSettings(dashboards={"payments": "pay-uid"}),
    alertmanager="http://alertmanager:9093",
)


def test_a_firing_group_links_to_grafana_prometheus_and_the_silence_page() -> None:
    group = AlertGroup.model_validate(webhook("firing"))
    view = view_of(group, can_silence=True)
    links = alert_links(BASES, group, view, START, END)
    assert list(links) == ["grafana", "prometheus", "silence"]
    grafana = urlsplit(links["grafana"])
    assert grafana.path == "/d/pay-uid"
    assert parse_qs(grafana.query)["from"] == [str(int(START.timestamp() * 1000))]
    assert parse_qs(grafana.query)["var-service"] == ["payments"]
    prometheus = urlsplit(links["prometheus"])
    assert prometheus.netloc == "prometheus.monitoring:9090"  # the alert's generatorURL
    assert parse_qs(prometheus.query)["g0.expr"] == [EXPR]
    assert parse_qs(prometheus.query)["g0.range_input"] == ["42m30s"]
    silence = links["silence"]
    assert silence.startswith("http://alertmanager:9093/#/silences/new?filter=")
    assert 'alertname="PaymentsHighLatency"' in unquote(silence)


def test_without_bases_only_the_generator_and_external_urls_remain() -> None:
    group = AlertGroup.model_validate(webhook("firing"))
    links = alert_links(LinkBases(), group, view_of(group, can_silence=False), START, END)
    assert list(links) == ["prometheus", "silence"]
    assert links["silence"].startswith("http://alertmanager.monitoring:9093/#/silences/new")


def test_a_resolved_group_has_no_silence_link() -> None:
    group = AlertGroup.model_validate(webhook("resolved"))
    links = alert_links(BASES, group, view_of(group, can_silence=True), START, END)
    assert "silence" not in links and "grafana" in links


def test_unsafe_generator_urls_are_left_out() -> None:
    raw = webhook("firing")
    raw["alerts"][0]["generatorURL"] = "javascript:alert(1)"
    raw["externalURL"] = "data:text/html,x"
    group = AlertGroup.model_validate(raw)
    links = alert_links(LinkBases(), group, view_of(group, can_silence=False), START, END)
    assert links == {}


def test_bases_come_from_the_typed_settings_and_the_environment() -> None:
    settings = load_settings(
        {"GRAFANA_URL": "https://grafana.example.com", "ALERTMANAGER_URL": " http://am:9093 "},
        grafana={"dashboards": {"payments": "/d/x/pay"}, "default_dashboard": "all"},
    )
    bases = link_bases(settings)
    assert bases.grafana == "https://grafana.example.com"
    assert bases.alertmanager == "http://am:9093"
    assert bases.dashboards.dashboard_for("payments") == "/d/x/pay"
    assert bases.dashboards.dashboard_for("ledger") == "all"
    assert load_settings({}).grafana == GrafanaSettings()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_largest_alert_card_with_every_link_fits(lang: str) -> None:
    long = "https://grafana.example.com/d/" + "x" * 1500
    view = replace(
        big_alert(),
        acked_by=None,
        links={"grafana": long, "prometheus": long, "silence": long},
    )
    built = alert_card(view, lang, "Asia/Shanghai")
    validate_card(built)
    assert card_bytes(built) <= BUDGET_BYTES and count_elements(built) <= BUDGET_ELEMENTS
    assert str(built).count("open_url") == 3


async def test_a_scan_card_links_to_the_services_dashboard_over_the_scan_window(
    platform: Any, store: Any, db_url: str, clock: Any
) -> None:
    from datetime import timedelta

    from skills.alerts.routing import parse_routing
    from skills.alerts.scans import ScanConfig, scan_once
    from tests.push.conftest import SyntheticSource
    from tests.push.test_digests import services_for

    services = services_for(
        platform, store, db_url, SyntheticSource(spike_at=clock.now - timedelta(minutes=3))
    )
    services.settings = services.settings.model_copy(
        update={
            "grafana_url": "https://grafana.example.com",
            "grafana": GrafanaSettings(dashboards={"payments": "pay"}),
        }
    )
    config = ScanConfig(every=timedelta(minutes=5), services=("payments",), chat_id="oc_scan")
    now = clock()
    assert await scan_once(services, config, parse_routing(None), "UTC", now, "r1") == 1
    [card] = platform.ledger.sent("oc_scan")
    validate_card(card.content)
    urls = [b["default_url"] for b in _behaviours(card.content) if b.get("type") == "open_url"]
    assert len(urls) == 1  # the synthetic source has no signal catalogue: no Prometheus link
    query = parse_qs(urlsplit(urls[0]).query)
    assert urlsplit(urls[0]).path == "/d/pay"
    assert query["from"] == [str(int((now - config.window).timestamp() * 1000))]
    assert query["to"] == [str(int(now.timestamp() * 1000))]


def _behaviours(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = list(node.get("behaviors", [])) if node.get("tag") == "button" else []
        return own + [b for value in node.values() for b in _behaviours(value)]
    if isinstance(node, list):
        return [b for value in node for b in _behaviours(value)]
    return []
