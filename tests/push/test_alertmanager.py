"""Alertmanager → alert card through the real bot, the fake platform and real HTTP."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app.capabilities import push_capabilities
from bot.cards.schema import validate_card
from bot.state import open_store
from sandbox.feishu import FakePlatform
from skills.alerts.payload import group_id
from tests.conftest import RunningBot, start_bot
from tests.push.conftest import FakeAlertmanager, SyntheticSource, push_registry, with_source
from tests.push.payloads import webhook

TOKEN = "am-token-for-tests"
ROUTES = {
    "alerts": {
        "routes": [
            {"match": {"severity": "critical", "namespace": "default"}, "chat_id": "oc_sre"}
        ],
        "default_chat_id": "oc_default",
    },
    # Silence and Acknowledge change state: the on-call chat may use them.
    "approvals": {"approvers": [{"chat_id": "oc_sre", "namespaces": ["*"]}]},
}


def fixture(name: str) -> dict[str, Any]:
    return webhook(name)


def config_file(tmp_path: Path, extra: dict[str, Any]) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(json.dumps(extra))  # JSON is YAML
    return str(path)


def running(platform: FakePlatform, db_url: str, tmp_path: Path, **environ: str) -> RunningBot:
    return start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[with_source(SyntheticSource()), *push_capabilities()],
        CLOUDOPS_CONFIG=config_file(tmp_path, ROUTES),
        **environ,
    )


@pytest.fixture
def am_bot(
    platform: FakePlatform, db_url: str, tmp_path: Path, alertmanager: tuple[str, FakeAlertmanager]
) -> Iterator[RunningBot]:
    url, _ = alertmanager
    bot = running(
        platform, db_url, tmp_path, ALERTMANAGER_WEBHOOK_TOKEN=TOKEN, ALERTMANAGER_URL=url
    )
    yield bot
    bot.stop()


def post(bot: RunningBot, payload: Any, token: str | None = TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers["Content-Type"] = "application/json"
    return httpx.post(f"{bot.url}/alertmanager", content=body, headers=headers, timeout=15)


def test_firing_then_resolved_gives_one_card_patched(am_bot: RunningBot) -> None:
    first = post(am_bot, fixture("firing"))
    assert first.json() == {"status": "sent"}
    [card] = am_bot.bot_messages("oc_sre")
    validate_card(card.content)
    text = json.dumps(card.content, ensure_ascii=False)
    assert card.content["header"]["template"] == "red"
    assert "PaymentsHighLatency" in text and "https://runbooks.example/payments-latency" in text
    assert '"tag": "chart"' in text  # the alert expression, queried from "Prometheus"
    assert post(am_bot, fixture("resolved")).json() == {"status": "patched"}
    [same] = am_bot.bot_messages()
    assert same.message_id == card.message_id and len(same.versions) == 1
    validate_card(same.content)
    assert same.content["header"]["template"] == "green"
    assert "alert_silence" not in json.dumps(same.content)


def test_identical_reposts_are_answered_duplicate(am_bot: RunningBot) -> None:
    assert post(am_bot, fixture("firing")).json()["status"] == "sent"
    assert post(am_bot, fixture("firing")).json()["status"] == "duplicate"
    assert len(am_bot.bot_messages()) == 1
    assert am_bot.platform.ledger.calls("PATCH", "/im/v1/messages") == []


def test_unmatched_labels_go_to_the_default_chat(am_bot: RunningBot) -> None:
    payload = fixture("firing")
    payload["groupKey"] = '{}:{alertname="Other"}'
    payload["commonLabels"]["severity"] = "warning"
    assert post(am_bot, payload).json()["status"] == "sent"
    [card] = am_bot.bot_messages("oc_default")
    assert card.content["header"]["template"] == "orange"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        ({"version": "4"}, 422),
        ({**fixture("firing"), "alerts": []}, 422),
        ({**fixture("firing"), "status": "exploded"}, 422),
        ({**fixture("firing"), "version": "3"}, 422),
    ],
)
def test_bad_payloads_are_refused(am_bot: RunningBot, body: Any, status: int) -> None:
    assert post(am_bot, body).status_code == status
    assert am_bot.bot_messages() == []


@pytest.mark.parametrize("token", [None, "wrong-token", TOKEN + "x"])
def test_a_missing_or_wrong_token_is_refused(am_bot: RunningBot, token: str | None) -> None:
    response = post(am_bot, fixture("firing"), token=token)
    assert response.status_code == 401
    assert am_bot.bot_messages() == []


def test_without_a_configured_token_everything_is_refused(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    bot = running(platform, db_url, tmp_path)
    try:
        response = post(bot, fixture("firing"))
        assert response.status_code == 503
        assert "ALERTMANAGER_WEBHOOK_TOKEN" in response.json()["detail"]
        assert bot.bot_messages() == []
    finally:
        bot.stop()


def test_silence_creates_an_alertmanager_silence_with_the_group_labels(
    am_bot: RunningBot, alertmanager: tuple[str, FakeAlertmanager], db_url: str
) -> None:
    _, fake = alertmanager
    payload = fixture("firing")
    post(am_bot, payload)
    [card] = am_bot.bot_messages("oc_sre")
    key = group_id(payload["groupKey"])
    for choice in ("30m", "2h", "1d"):
        assert {"action": "alert_silence", "key": key, "for": choice} in _button_values(
            card.content
        )
    am_bot.sender.click(
        {"action": "alert_silence", "key": key, "for": "2h"},
        message_id=card.message_id,
        chat_id="oc_sre",
        operator="ou_oncall",
    )
    am_bot.wait_for(lambda: fake.silences)
    [silence] = fake.silences
    expected = {(k, v) for k, v in payload["commonLabels"].items()}
    assert {(m["name"], m["value"]) for m in silence["matchers"]} == expected
    assert all(m["isEqual"] and not m["isRegex"] for m in silence["matchers"])
    assert silence["createdBy"] == "ou_oncall"
    starts, ends = (datetime.fromisoformat(silence[k]) for k in ("startsAt", "endsAt"))
    assert ends - starts == timedelta(hours=2)
    patched = am_bot.wait_for(lambda: [m for m in am_bot.bot_messages() if m.versions])[0]
    assert "ou_oncall" in json.dumps(patched.content)
    assert "alert_silence" not in json.dumps(patched.content)
    store = open_store(db_url)
    try:
        import asyncio

        audit = asyncio.run(store.audit.recent(5))
    finally:
        store.close()
    assert [(a.actor, a.action, a.result) for a in audit] == [("ou_oncall", "alert_silence", "ok")]


def test_acknowledge_updates_the_card_with_who(am_bot: RunningBot) -> None:
    payload = fixture("firing")
    post(am_bot, payload)
    [card] = am_bot.bot_messages("oc_sre")
    value = {"action": "alert_ack", "key": group_id(payload["groupKey"])}
    am_bot.sender.click(value, message_id=card.message_id, chat_id="oc_sre", operator="ou_alice")
    patched = am_bot.wait_for(lambda: [m for m in am_bot.bot_messages() if m.versions])[0]
    text = json.dumps(patched.content)
    assert "ou_alice" in text and "alert_ack" not in text
    validate_card(patched.content)


def test_resolved_keeps_the_acknowledgement(am_bot: RunningBot) -> None:
    payload = fixture("firing")
    post(am_bot, payload)
    [card] = am_bot.bot_messages("oc_sre")
    value = {"action": "alert_ack", "key": group_id(payload["groupKey"])}
    am_bot.sender.click(value, message_id=card.message_id, chat_id="oc_sre", operator="ou_bob")
    am_bot.wait_for(lambda: am_bot.bot_messages()[0].versions)
    resolved = copy.deepcopy(fixture("resolved"))
    assert post(am_bot, resolved).json()["status"] == "patched"
    [same] = am_bot.bot_messages()
    assert same.content["header"]["template"] == "green" and "ou_bob" in json.dumps(same.content)


def test_run_rca_posts_the_rca_flow_into_the_chat(am_bot: RunningBot) -> None:
    post(am_bot, fixture("firing"))
    [card] = am_bot.bot_messages("oc_sre")
    [value] = [v for v in _button_values(card.content) if v["action"] == "alert_rca"]
    assert value == {"action": "alert_rca", "service": "payments", "namespace": "default"}
    am_bot.sender.click(value, message_id=card.message_id, chat_id="oc_sre", operator="ou_carol")
    rca = am_bot.wait_for(lambda: am_bot.bot_messages("oc_sre")[1:])[0]
    am_bot.wait_for(lambda: am_bot.bot_messages("oc_sre")[1].versions, timeout=20)
    text = json.dumps(am_bot.bot_messages("oc_sre")[1].content, ensure_ascii=False)
    assert rca.message_id != card.message_id and "payments" in text


def _button_values(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("tag") == "button":
                found.extend(b["value"] for b in node.get("behaviors", []) if "value" in b)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found
