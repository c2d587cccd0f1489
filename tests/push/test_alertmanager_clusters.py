"""Alertmanager notifications of several clusters: attributed by the label ``cluster`` or
the path ``/alertmanager/{cluster}``, routed on it, and their cards' buttons act on that
cluster (its Alertmanager, its Prometheus). Real bot, fake platform, real HTTP."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import CapabilityParts
from bot.app.capabilities import push_capabilities
from bot.cards.cluster_tag import cluster_of
from bot.cards.schema import validate_card
from bot.metrics import Metrics
from bot.services import Services
from bot.serving import ThreadedServer
from bot.state import open_store
from sandbox.feishu import FakePlatform
from skills.alerts.delivery import Delivery, deliver
from skills.alerts.escalation import escalate_due
from skills.alerts.payload import AlertGroup
from skills.alerts.routing import parse_routing
from tests.conftest import RunningBot, bot_settings, start_bot
from tests.push.conftest import (
    FakeAlertmanager,
    SyntheticSource,
    messenger_for,
    push_registry,
)
from tests.push.payloads import webhook

TOKEN = "am-token-for-tests"
FIRED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


@pytest.fixture
def fakes() -> Iterator[dict[str, tuple[str, FakeAlertmanager]]]:
    east, west = FakeAlertmanager(), FakeAlertmanager()
    with ThreadedServer(east.app()) as east_server, ThreadedServer(west.app()) as west_server:
        yield {"east": (east_server.url, east), "west": (west_server.url, west)}


@pytest.fixture
def sources() -> dict[str, SyntheticSource]:
    return {"east": SyntheticSource(), "west": SyntheticSource()}


def config(urls: dict[str, str]) -> dict[str, Any]:
    return {
        "clusters": [
            {
                "name": name,
                "alertmanager_url": url,
                "grafana_url": f"https://grafana-{name}.example",
            }
            for name, url in urls.items()
        ],
        "grafana": {"dashboards": {"payments": "/d/x/pay"}},
        "alerts": {
            "routes": [
                {"match": {"cluster": "east"}, "chat_id": "oc_east"},
                {"match": {"cluster": "west"}, "chat_id": "oc_west"},
            ],
            "default_chat_id": "oc_default",
        },
        "approvals": {
            "approvers": [
                {"chat_id": "oc_east", "namespaces": ["*"]},
                {"chat_id": "oc_west", "namespaces": ["*"]},
            ]
        },
    }


def each_cluster_source(sources: dict[str, SyntheticSource]) -> Any:
    """Each cluster's "Prometheus", as prometheus_capability fills them."""

    def capability(services: Services) -> CapabilityParts:
        for name, source in sources.items():
            services.slot(name).prometheus = source
            if name == services.cluster_name:
                services.prometheus = source
        return CapabilityParts()

    return capability


@pytest.fixture
def bot(
    platform: FakePlatform,
    db_url: str,
    tmp_path: Path,
    fakes: dict[str, tuple[str, FakeAlertmanager]],
    sources: dict[str, SyntheticSource],
) -> Iterator[RunningBot]:
    path = tmp_path / "config.yaml"
    path.write_text(json.dumps(config({name: url for name, (url, _) in fakes.items()})))
    running = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[each_cluster_source(sources), *push_capabilities()],
        CLOUDOPS_CONFIG=str(path),
        ALERTMANAGER_WEBHOOK_TOKEN=TOKEN,
    )
    yield running
    running.stop()


def post(
    bot: RunningBot, payload: dict[str, Any], path: str = "", token: str = TOKEN
) -> httpx.Response:
    return httpx.post(
        f"{bot.url}/alertmanager{path}",
        content=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=15,
    )


def labelled(cluster: str) -> dict[str, Any]:
    """The firing notification with the label ``cluster`` (same groupKey as unlabelled)."""
    payload = copy.deepcopy(webhook("firing"))
    payload["commonLabels"]["cluster"] = cluster
    for alert in payload["alerts"]:
        alert["labels"]["cluster"] = cluster
    return payload


def header_tags(card: dict[str, Any]) -> list[str]:
    return [tag["text"]["content"] for tag in card["header"].get("text_tag_list", [])]


def button(card: dict[str, Any], action: str, **extra: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for behavior in node.get("behaviors") or ():
                value = behavior.get("value")
                wanted = {"action": action, **extra}
                if isinstance(value, dict) and all(value.get(k) == v for k, v in wanted.items()):
                    found.append(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    assert found, f"no {action} button"
    return found[0]


def test_each_card_names_its_cluster_and_is_routed_on_it(
    bot: RunningBot,
    sources: dict[str, SyntheticSource],
    fakes: dict[str, tuple[str, FakeAlertmanager]],
) -> None:
    assert post(bot, labelled("west")).json() == {"status": "sent"}
    [west] = bot.bot_messages("oc_west")
    assert sources["east"].calls == []  # the chart read west's Prometheus
    assert [expr for expr, *_ in sources["west"].calls] != []
    # The same groupKey, from east's Alertmanager (no label; the path names the cluster).
    assert post(bot, webhook("firing"), "/east").json() == {"status": "sent"}
    [east] = bot.bot_messages("oc_east")
    assert sources["east"].calls != []
    assert bot.bot_messages("oc_default") == []
    for card, name in ((west, "west"), (east, "east")):
        validate_card(card.content)
        assert cluster_of(card.content) == name
        assert name in header_tags(card.content)
        assert button(card.content, "alert_silence")["cluster"] == name
        assert button(card.content, "alert_rca")["cluster"] == name
        text = json.dumps(card.content)
        assert f"https://grafana-{name}.example/d/x/pay" in text  # that cluster's links
        assert f"{fakes[name][0]}/#/silences/new" in text
    assert button(west.content, "alert_ack")["key"] != button(east.content, "alert_ack")["key"]


def test_the_same_body_for_two_clusters_is_two_notifications(bot: RunningBot) -> None:
    assert post(bot, webhook("firing"), "/east").json() == {"status": "sent"}
    assert post(bot, webhook("firing"), "/east").json() == {"status": "duplicate"}
    assert post(bot, webhook("firing"), "/west").json() == {"status": "sent"}
    assert len(bot.bot_messages("oc_east")) == len(bot.bot_messages("oc_west")) == 1
    # Resolved on west: west's card turns green, east's stays firing.
    assert post(bot, webhook("resolved"), "/west").json() == {"status": "patched"}
    [east], [west] = bot.bot_messages("oc_east"), bot.bot_messages("oc_west")
    assert west.content["header"]["template"] == "green" and cluster_of(west.content) == "west"
    assert east.content["header"]["template"] == "red" and not east.versions


def test_the_label_wins_over_the_path_and_an_unknown_label_falls_back(bot: RunningBot) -> None:
    assert post(bot, labelled("west"), "/east").json() == {"status": "sent"}
    [west] = bot.bot_messages("oc_west")
    assert cluster_of(west.content) == "west"
    north = labelled("north")
    north["groupKey"] = '{}:{alertname="North"}'
    assert post(bot, north, "/east").json() == {"status": "sent"}
    # Routes see the alerts' own label (north: no route); the card is east's.
    [card] = bot.bot_messages("oc_default")
    assert cluster_of(card.content) == "east"


def test_silence_on_a_west_card_silences_on_west_only(
    bot: RunningBot, fakes: dict[str, tuple[str, FakeAlertmanager]]
) -> None:
    (_, east), (_, west) = fakes["east"], fakes["west"]
    post(bot, labelled("west"))
    [card] = bot.bot_messages("oc_west")
    value = button(card.content, "alert_silence", **{"for": "2h"})
    bot.sender.click(value, message_id=card.message_id, chat_id="oc_west", operator="ou_oncall")
    bot.wait_for(lambda: west.silences)
    [silence] = west.silences
    matchers = {(m["name"], m["value"]) for m in silence["matchers"]}
    assert ("cluster", "west") in matchers and ("alertname", "PaymentsHighLatency") in matchers
    patched = bot.wait_for(lambda: [m for m in bot.bot_messages("oc_west") if m.versions])[0]
    assert "ou_oncall" in json.dumps(patched.content) and cluster_of(patched.content) == "west"
    assert "west" in header_tags(patched.content) and "east" not in header_tags(patched.content)
    bot.settle()
    assert east.silences == []


def test_silence_on_a_path_attributed_card_matches_the_alerts_own_labels(
    bot: RunningBot, fakes: dict[str, tuple[str, FakeAlertmanager]]
) -> None:
    (_, east), (_, west) = fakes["east"], fakes["west"]
    payload = webhook("firing")
    post(bot, payload, "/east")
    [card] = bot.bot_messages("oc_east")
    value = button(card.content, "alert_silence", **{"for": "30m"})
    bot.sender.click(value, message_id=card.message_id, chat_id="oc_east", operator="ou_oncall")
    bot.wait_for(lambda: east.silences)
    [silence] = east.silences
    # The cluster routed the card; east's alerts do not carry it, so no matcher on it.
    assert {(m["name"], m["value"]) for m in silence["matchers"]} == set(
        payload["commonLabels"].items()
    )
    bot.settle()
    assert west.silences == []


def test_run_rca_on_a_west_card_reads_west_prometheus(
    bot: RunningBot, sources: dict[str, SyntheticSource]
) -> None:
    post(bot, labelled("west"))
    [card] = bot.bot_messages("oc_west")
    value = button(card.content, "alert_rca")
    assert value["cluster"] == "west" and value["service"] == "payments"
    before = len(sources["west"].calls)
    bot.sender.click(value, message_id=card.message_id, chat_id="oc_west", operator="ou_carol")
    bot.wait_for(lambda: bot.bot_messages("oc_west")[1:])
    bot.wait_for(lambda: bot.bot_messages("oc_west")[1].versions, timeout=20)
    rca = bot.bot_messages("oc_west")[1]
    assert cluster_of(rca.content) in (None, "west") and "west" in header_tags(rca.content)
    assert [c for c in sources["west"].calls[before:] if c[0] == "payments"]
    assert sources["east"].calls == []


def test_an_unknown_cluster_in_the_path_is_404(bot: RunningBot) -> None:
    answer = post(bot, webhook("firing"), "/north")
    assert answer.status_code == 404
    detail = answer.json()["detail"]
    assert "north" in detail and "east" in detail and "west" in detail
    assert post(bot, webhook("firing"), "/north", token="wrong").status_code == 401
    bot.settle()
    assert [m for m in bot.bot_messages() if not m.chat_id.startswith("oc_sentinel_")] == []


def test_a_single_cluster_accepts_its_own_name_in_the_path(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(json.dumps({"alerts": {"default_chat_id": "oc_default"}}))
    single = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[*push_capabilities()],
        CLOUDOPS_CONFIG=str(path),
        ALERTMANAGER_WEBHOOK_TOKEN=TOKEN,
    )
    try:
        assert post(single, webhook("firing"), "/default").json() == {"status": "sent"}
        assert post(single, webhook("firing"), "/east").status_code == 404
        [card] = single.bot_messages("oc_default")
        assert cluster_of(card.content) is None and header_tags(card.content) == []
    finally:
        single.stop()


def test_an_escalation_patches_a_west_card_as_west(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    """The escalation job runs with the home cluster's services (east): the west card it
    patches keeps naming west."""
    team = {
        "members": ["ou_alice"],
        "rotation": "weekly",
        "start": "2026-02-23",
        "escalation": [{"after_minutes": 5, "via": "urgent_app"}],
    }
    routes = {"routes": [{"match": {"cluster": "west"}, "chat_id": "oc_west", "team": "payments"}]}
    path = tmp_path / "config.yaml"
    path.write_text(
        json.dumps(
            {
                "clusters": [{"name": "east"}, {"name": "west"}],
                "oncall": {"teams": {"payments": team}},
                "alerts": routes,
            }
        )
    )
    settings = bot_settings(platform, db_url, CLOUDOPS_CONFIG=str(path))
    store = open_store(db_url)
    messenger = messenger_for(platform).about("east")
    home = Services(settings, store, messenger, Metrics(), cluster_name="east")
    how = Delivery(
        parse_routing(settings.alerts), "Asia/Shanghai", can_silence=False, cluster="west"
    )
    group = AlertGroup.model_validate(webhook("firing"))
    try:
        sent = asyncio.run(deliver(home.in_cluster("west"), group, "d1", how, now=FIRED))
        assert sent == "sent"
        assert asyncio.run(escalate_due(home, FIRED + timedelta(minutes=5), "Asia/Shanghai")) == 1
        [card] = platform.ledger.sent("oc_west")
        assert card.versions  # patched with the escalation line
        assert cluster_of(card.content) == "west" and header_tags(card.content) == ["west"]
    finally:
        store.close()


def test_a_cluster_without_alertmanager_url_gets_no_silence_buttons(
    platform: FakePlatform,
    db_url: str,
    tmp_path: Path,
    fakes: dict[str, tuple[str, FakeAlertmanager]],
) -> None:
    settings = config({"east": fakes["east"][0]})
    settings["clusters"].append({"name": "west"})  # no Alertmanager API for west
    path = tmp_path / "config.yaml"
    path.write_text(json.dumps(settings))
    running = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[*push_capabilities()],
        CLOUDOPS_CONFIG=str(path),
        ALERTMANAGER_WEBHOOK_TOKEN=TOKEN,
    )
    try:
        assert post(running, webhook("firing"), "/east").json() == {"status": "sent"}
        assert post(running, webhook("firing"), "/west").json() == {"status": "sent"}
        [east], [west] = running.bot_messages("oc_east"), running.bot_messages("oc_west")
        assert button(east.content, "alert_silence")["cluster"] == "east"
        assert "alert_silence" not in json.dumps(west.content)
        assert cluster_of(west.content) == "west"
        services = running.runtime.services
        assert [k for k in services.dependencies if "alertmanager" in k] == ["alertmanager@east"]
        assert services.clusters["east"].alertmanager_url == fakes["east"][0]
        assert services.alertmanager is services.clusters["east"].alertmanager is not None
        assert services.clusters["west"].alertmanager is None
    finally:
        running.stop()
