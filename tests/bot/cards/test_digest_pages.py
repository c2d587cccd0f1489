"""A digest for many services is split into pages, each within the send budget."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from bot.cards.alert import Anomaly
from bot.cards.digest import DigestEntry, digest_cards
from bot.cards.fitting import BUDGET_BYTES, BUDGET_ELEMENTS
from bot.cards.validation import card_bytes, card_problems, count_elements
from skills.service_forecast import plan_forecast

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _entries(count: int) -> list[DigestEntry]:
    times = pd.date_range(NOW - timedelta(days=7), periods=300, freq="2025s", tz="UTC")
    qps = 100 + 50 * np.sin(2 * np.pi * (times.asi8 / 1e9) / 86400)
    view = plan_forecast(
        pd.Series(qps, index=times),
        timedelta(days=1),
        service="svc",
        namespace="default",
        deployment="svc",
        capacity=20.0,
        current=3,
    )
    anomalies = [Anomaly("svc", f"svc-{i}", "latency_p99_seconds", NOW, 2.0, 0.9) for i in range(3)]
    return [DigestEntry(f"service-{i:02d}", view, anomalies=anomalies) for i in range(count)]


def test_forty_services_make_several_pages_each_within_budget() -> None:
    cards = digest_cards(_entries(40), "zh-CN", "Asia/Shanghai", NOW, "daily 09:00")
    assert len(cards) > 1
    names: list[str] = []
    for n, card in enumerate(cards, 1):
        assert card_problems(card) == []
        assert card_bytes(card) <= BUDGET_BYTES
        assert count_elements(card) <= BUDGET_ELEMENTS
        assert f"（{n}/{len(cards)}）" in card["header"]["title"]["content"]
        text = " ".join(e.get("content", "") for e in card["body"]["elements"])
        names += re.findall(r"\*\*(service-\d\d)\*\*", text)
    assert names == [f"service-{i:02d}" for i in range(40)]  # each once, in order


def test_a_few_services_stay_on_one_card_without_a_page_number() -> None:
    cards = digest_cards(_entries(3), "en-US", "UTC", NOW, "daily 09:00")
    assert len(cards) == 1
    assert "(1/" not in cards[0]["header"]["title"]["content"]
