"""/subscribe through the bot, digests fired by the scheduler, /predict, and scans."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.app.capabilities import push_capabilities
from bot.cards.schema import validate_card
from bot.metrics import Metrics
from bot.registry import UsageError
from bot.scheduler import JobScheduler
from bot.services import Services
from bot.state import Store
from sandbox.feishu import FakePlatform
from skills.alerts.routing import parse_routing
from skills.alerts.scans import ScanConfig, scan_once
from skills.digests import digest_jobs
from skills.forecast import parse as parse_forecast
from skills.subscribe import parse_subscribe
from tests.conftest import bot_settings, start_bot
from tests.push.conftest import (
    FrozenClock,
    SyntheticSource,
    messenger_for,
    push_registry,
    with_source,
)


def services_for(platform: FakePlatform, store: Store, db_url: str, source: object) -> Services:
    settings = bot_settings(platform, db_url)
    services = Services(settings, store, messenger_for(platform), Metrics())
    services.prometheus = source
    return services


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["alerts", "payments"],
        ["forecast", "Bad_Name"],
        ["forecast", "x", "daily"],
        ["forecast", "x", "every", "1m"],
    ],
)
def test_bad_subscribe_arguments_get_a_usage_error(args: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_subscribe(args)


@pytest.mark.parametrize("args", [[], ["payments", "5m"], ["payments", "3d"], ["a", "b", "c"]])
def test_bad_forecast_arguments_get_a_usage_error(args: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_forecast(args)


async def test_a_subscription_fires_at_its_time_with_one_digest_card(
    platform: FakePlatform, store: Store, db_url: str, clock: FrozenClock
) -> None:
    await store.subscriptions.add(
        chat_id="oc_team",
        kind="forecast",
        target="payments",
        schedule="daily 09:00",
        created_by="ou_a",
    )
    await store.subscriptions.add(
        chat_id="oc_team",
        kind="forecast",
        target="orders",
        schedule="daily 09:00",
        created_by="ou_a",
    )
    services = services_for(platform, store, db_url, SyntheticSource())
    jobs = digest_jobs(services)
    scheduler = JobScheduler(store, jobs, clock=clock)
    assert await scheduler.run_due(await jobs()) == []  # 08:00 Shanghai
    clock.advance(hours=1, seconds=5)
    assert len(await scheduler.run_due(await jobs())) == 1
    assert await scheduler.run_due(await jobs()) == []
    [digest] = platform.ledger.sent("oc_team")
    validate_card(digest.content)
    text = json.dumps(digest.content, ensure_ascii=False)
    assert "payments" in text and "orders" in text
    assert text.count('"tag": "chart"') == 2
    assert "propose_scaling" in text  # 4 ready pods learned, a different count recommended


def test_subscribe_list_run_and_unsubscribe_through_the_bot(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"  # subscriptions change state: this chat may
    config.write_text('approvals: {approvers: [{chat_id: oc_g, namespaces: ["*"]}]}\n')
    bot = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[with_source(SyntheticSource())],
        CLOUDOPS_CONFIG=str(config),
    )
    try:
        bot.sender.say("/subscribe forecast payments weekdays 18:30", chat_id="oc_g")
        done = bot.wait_for(lambda: bot.bot_messages("oc_g"))[0]
        sub_id = next(w.strip("`.;") for w in json.dumps(done.content).split() if "sub_" in w)
        sub_id = sub_id[sub_id.index("sub_") :][:12]
        bot.sender.say("/subscriptions", chat_id="oc_g")
        listing = bot.wait_for(lambda: bot.bot_messages("oc_g")[1:])[0]
        assert sub_id in json.dumps(listing.content) and "weekdays 18:30" in json.dumps(
            listing.content
        )
        bot.sender.say(f"/subscriptions run {sub_id}", chat_id="oc_g")
        digest = bot.wait_for(lambda: bot.bot_messages("oc_g")[2:], timeout=20)[0]
        validate_card(digest.content)
        assert "payments" in json.dumps(digest.content)
        bot.sender.say(f"/unsubscribe {sub_id}", chat_id="oc_g")
        bot.wait_for(lambda: bot.bot_messages("oc_g")[3:])
        bot.sender.say("/subscriptions", chat_id="oc_g")
        empty = bot.wait_for(lambda: bot.bot_messages("oc_g")[4:])[0]
        assert sub_id not in json.dumps(empty.content)
    finally:
        bot.stop()


def test_predict_api_and_forecast_command(platform: FakePlatform, db_url: str) -> None:
    bot = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[with_source(SyntheticSource()), *push_capabilities()],
        CLOUDOPS_API_TOKEN="api-token",
    )
    try:
        auth = {"Authorization": "Bearer api-token"}
        got = httpx.get(
            f"{bot.url}/api/v1/predict", params={"service": "payments"}, headers=auth, timeout=30
        )
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["instances"] >= 1 and 0 < body["confidence"] <= 1
        assert body["qps"] == max(p["qps"] for p in body["forecast"])
        posted = httpx.post(
            f"{bot.url}/api/v1/predict",
            headers=auth,
            timeout=30,
            json={"service": "payments", "horizon": "12h", "current_qps": 50},
        )
        assert posted.status_code == 200 and len(posted.json()["forecast"]) > len(body["forecast"])
        bad = httpx.post(f"{bot.url}/api/v1/predict", headers=auth, json={"service": "B A D"})
        assert bad.status_code == 422
        bot.sender.say("/forecast payments 6h", chat_id="oc_f")
        bot.wait_for(
            lambda: bot.bot_messages("oc_f") and bot.bot_messages("oc_f")[0].versions, timeout=20
        )
        card = bot.bot_messages("oc_f")[0].content
        validate_card(card)
        assert "propose_scaling" in json.dumps(card)
    finally:
        bot.stop()


async def test_scans_respect_the_cooldown(
    platform: FakePlatform, store: Store, db_url: str, clock: FrozenClock
) -> None:
    source = SyntheticSource(spike_at=clock.now - timedelta(minutes=3))
    services = services_for(platform, store, db_url, source)
    config = ScanConfig(
        every=timedelta(minutes=5),
        services=("payments",),
        chat_id="oc_scan",
        cooldown=timedelta(minutes=30),
    )
    routing = parse_routing(None)

    async def scan(uuid: str) -> int:
        return await scan_once(services, config, routing, "Asia/Shanghai", clock(), uuid)

    assert await scan("r1") == 1
    [card] = platform.ledger.sent("oc_scan")
    validate_card(card.content)
    assert "latency_p99_seconds" in json.dumps(card.content)
    source.spike_at = clock.now + timedelta(minutes=2)  # flaps: a new spike 2 minutes on
    clock.advance(minutes=5)
    assert await scan("r2") == 0  # within the cool-down
    clock.advance(minutes=26)
    source.spike_at = clock.now - timedelta(minutes=2)
    assert await scan("r3") == 1
    assert len(platform.ledger.sent("oc_scan")) == 2


async def test_a_calm_service_sends_nothing(
    platform: FakePlatform, store: Store, db_url: str, clock: FrozenClock
) -> None:
    services = services_for(platform, store, db_url, SyntheticSource())
    config = ScanConfig(every=timedelta(minutes=5), services=("payments",), chat_id="oc_calm")
    sent = await scan_once(services, config, parse_routing(None), "UTC", clock(), "r")
    assert sent == 0 and platform.ledger.sent("oc_calm") == []
