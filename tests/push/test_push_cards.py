"""Every push card is valid JSON 2.0 within the limits, in both languages, at its largest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from bot.cards.alert import AlertView, Anomaly, alert_card, anomaly_card
from bot.cards.digest import DigestEntry, digest_card
from bot.cards.forecast import forecast_card
from bot.cards.schema import validate_card
from messages import LANGUAGES
from skills.alerts.expression import split_threshold
from skills.alerts.routing import parse_routing
from skills.service_forecast import plan_forecast

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def view() -> object:
    times = pd.date_range(NOW - timedelta(days=7), periods=300, freq="2025s", tz="UTC")
    qps = 100 + 50 * np.sin(2 * np.pi * (times.asi8 / 1e9) / 86400)
    return plan_forecast(
        pd.Series(qps, index=times),
        timedelta(days=2),
        service="payments",
        namespace="default",
        deployment="payments",
        capacity=20.0,
        current=3,
    )


def big_alert() -> AlertView:
    rows = [
        {"status": "firing", "detail": f"pod=payments-{i}", "starts": NOW.isoformat()}
        for i in range(200)
    ]
    chart = [
        {"t": int(NOW.timestamp()) + 60 * i, "v": float(i), "s": f"s{i % 3}"} for i in range(180)
    ]
    labels = {f"label{i}": "x" * 40 for i in range(30)}
    return AlertView(
        "k",
        "firing",
        "HighLatency",
        "critical",
        labels,
        {
            "summary": "s" * 500,
            "description": "d" * 2000,
            "runbook_url": "https://runbooks.example/x",
        },
        rows,
        service="payments",
        namespace="default",
        expr="up",
        chart=chart,
        threshold=1.0,
        can_silence=True,
        truncated=5,
        acked_by="ou_x",
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_push_card_is_valid(lang: str) -> None:
    fc = view()
    anomalies = [Anomaly("payments", f"pod-{i}", "cpu", NOW, 1.5, 0.9) for i in range(50)]
    entries = [DigestEntry(f"svc{i}", fc, anomalies=anomalies) for i in range(8)]
    entries.append(DigestEntry("broken", error="Prometheus: unreachable"))
    cards = [
        forecast_card(fc, lang, "2d", "Asia/Shanghai"),  # type: ignore[arg-type]
        digest_card(entries, lang, "Asia/Shanghai", NOW, "daily 09:00"),  # type: ignore[arg-type]
        digest_card([], lang, "UTC", NOW, "every 6h"),
        alert_card(big_alert(), lang, "Asia/Shanghai"),
        anomaly_card("payments", "default", anomalies, lang, "UTC"),
    ]
    for card in cards:
        validate_card(card)


@pytest.mark.parametrize(
    ("expr", "query", "threshold"),
    [
        (
            "histogram_quantile(0.99, sum by (le) (rate(x[5m]))) > 1",
            "histogram_quantile(0.99, sum by (le) (rate(x[5m])))",
            1.0,
        ),
        ("up == 0", "up", 0.0),
        ("rate(errors[5m]) > bool 2.5e-1", "rate(errors[5m])", 0.25),
        ("sum(x > 1)", "sum(x > 1)", None),
        ('x{a=">1"}', 'x{a=">1"}', None),
        ("a > b", "a > b", None),
    ],
)
def test_threshold_is_split_only_at_the_top_level(
    expr: str, query: str, threshold: float | None
) -> None:
    assert split_threshold(expr) == (query, threshold)


def test_routes_match_in_order_with_regexes_and_fall_back_to_the_default() -> None:
    routing = parse_routing(
        {
            "routes": [
                {
                    "match": {"severity": "critical"},
                    "match_re": {"namespace": "pay.*"},
                    "chat_id": "oc_pay",
                },
                {"match": {"severity": "critical"}, "chat_id": "oc_crit"},
            ],
            "default_chat_id": "oc_all",
        }
    )
    assert routing.chat_for({"severity": "critical", "namespace": "payments"}) == "oc_pay"
    assert routing.chat_for({"severity": "critical", "namespace": "xpayments"}) == "oc_crit"
    assert routing.chat_for({"severity": "warning", "namespace": "payments"}) == "oc_all"
    assert parse_routing(None).chat_for({"a": "b"}) is None


@pytest.mark.parametrize(
    "section",
    [
        {"routes": [{"match": {"a": "b"}}]},
        {"routes": [{"chat_id": "c", "match_re": {"a": "("}}]},
        {"routes": [{"chat_id": "c", "match": ["a"]}]},
    ],
)
def test_bad_routes_are_refused(section: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        parse_routing(section)
