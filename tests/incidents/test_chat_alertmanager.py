"""Alerts and silences from chat against a REAL Alertmanager (prometheus-alertmanager):
an alert fires, its card's Silence 30m creates a silence, /silences lists it, /alerts
shows it silenced and claimed, Unsilence expires it."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app.capabilities import push_capabilities
from bot.cards.schema import validate_card
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot
from tests.incidents.conftest import RealAlertmanager, config_file
from tests.push.conftest import SyntheticSource, push_registry, with_source

TOKEN = "am-token-for-chat-tests"
CONFIG: dict[str, Any] = {
    "oncall": {"teams": {"payments": {"members": ["ou_alice", "ou_bob"]}}},
    "alerts": {
        "routes": [{"match": {"service": "payments"}, "chat_id": "oc_sre", "team": "payments"}],
        "default_chat_id": "oc_sre",
    },
    "approvals": {"approvers": [{"chat_id": "oc_sre", "namespaces": ["*"]}]},
}


@pytest.fixture
def chat_bot(
    platform: FakePlatform, db_url: str, tmp_path: Path, real_alertmanager: RealAlertmanager
) -> Iterator[RunningBot]:
    environ = {"ALERTMANAGER_WEBHOOK_TOKEN": TOKEN, "ALERTMANAGER_URL": real_alertmanager.url}
    bot = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[
            with_source(SyntheticSource()),
            *push_capabilities(),
        ],
        CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG),
        **environ,
    )
    yield bot
    bot.stop()


def _fire(am: RealAlertmanager, bot: RunningBot, service: str) -> dict[str, Any]:
    """Post an alert to Alertmanager (as Prometheus does), then the webhook it would send."""
    name = f"HighLatency{secrets.token_hex(3)}"
    labels = {"alertname": name, "namespace": "default", "service": service, "severity": "critical"}
    starts = datetime.now(UTC) - timedelta(minutes=1)
    alert = {
        "labels": labels,
        "annotations": {"summary": "p99 high"},
        "startsAt": starts.isoformat(),
    }
    assert httpx.post(f"{am.url}/api/v2/alerts", json=[alert], timeout=10).status_code == 200
    held = httpx.get(f"{am.url}/api/v2/alerts", params={"filter": f'alertname="{name}"'}).json()
    [fingerprint] = [a["fingerprint"] for a in held]
    payload = {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="{name}"}}',
        "status": "firing",
        "receiver": "chat",
        "groupLabels": {"alertname": name},
        "commonLabels": labels,
        "commonAnnotations": {"summary": "p99 high"},
        "alerts": [
            {
                "status": "firing",
                "labels": labels,
                "annotations": {},
                "startsAt": starts.isoformat(),
                "fingerprint": fingerprint,
            }
        ],
    }
    response = httpx.post(
        f"{bot.url}/alertmanager",
        json=payload,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=15,
    )
    assert response.json() == {"status": "sent"}
    return payload


def _say(bot: RunningBot, text: str) -> Any:
    before = len(bot.bot_messages("oc_sre"))
    bot.sender.say(text, chat_id="oc_sre", sender="ou_bob")
    reply = bot.wait_for(lambda: bot.bot_messages("oc_sre")[before:])[0]
    validate_card(reply.content)
    return reply


def _buttons(content: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("tag") == "button" and "value" in node["behaviors"][0]:
                found.append(node["behaviors"][0]["value"])  # not the link buttons
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(content)
    return found


def _silences(am: RealAlertmanager, alertname: str) -> list[dict[str, Any]]:
    found = httpx.get(f"{am.url}/api/v2/silences", timeout=10).json()
    return [
        s
        for s in found
        if any(m["name"] == "alertname" and m["value"] == alertname for m in s["matchers"])
    ]


def test_silence_list_and_expire_from_chat(
    chat_bot: RunningBot, real_alertmanager: RealAlertmanager
) -> None:
    am = real_alertmanager
    payload = _fire(am, chat_bot, "payments")
    name = payload["commonLabels"]["alertname"]
    [card] = chat_bot.bot_messages("oc_sre")
    text = json.dumps(card.content, ensure_ascii=False)
    assert f'alertname=\\"{name}\\"' in text  # the matcher preview of the Silence buttons
    [silence_30m] = [v for v in _buttons(card.content) if v.get("for") == "30m"]
    chat_bot.sender.click(
        silence_30m, message_id=card.message_id, chat_id="oc_sre", operator="ou_bob"
    )
    [created] = chat_bot.wait_for(lambda: _silences(am, name))
    assert created["status"]["state"] == "active" and created["createdBy"] == "ou_bob"
    length = datetime.fromisoformat(
        created["endsAt"].replace("Z", "+00:00")
    ) - datetime.fromisoformat(created["startsAt"].replace("Z", "+00:00"))
    assert timedelta(minutes=29) < length <= timedelta(minutes=30)

    chat_bot.wait_for(
        lambda: "Silenced by" in json.dumps(chat_bot.bot_messages("oc_sre")[0].content)
    )
    claim = {"action": "alert_ack", "key": silence_30m["key"]}
    chat_bot.sender.click(claim, message_id=card.message_id, chat_id="oc_sre", operator="ou_alice")
    chat_bot.wait_for(
        lambda: "Claimed by" in json.dumps(chat_bot.bot_messages("oc_sre")[0].content)
    )

    listed = _say(chat_bot, "/silences")
    expire = [v for v in _buttons(listed.content) if v.get("silence_id") == created["id"]]
    assert expire == [{"action": "silence_expire", "silence_id": created["id"]}]

    alerts = json.dumps(_say(chat_bot, "/alerts payments").content, ensure_ascii=False)
    line = next(x for x in alerts.split("\\n") if name in x)
    assert "silenced until" in line and "claimed by <at id=ou_alice></at>" in line
    others = json.dumps(_say(chat_bot, "/alerts orders").content, ensure_ascii=False)
    assert name not in others

    chat_bot.sender.click(
        expire[0], message_id=listed.message_id, chat_id="oc_sre", operator="ou_bob"
    )
    chat_bot.wait_for(lambda: _silences(am, name)[0]["status"]["state"] == "expired")
    messages = chat_bot.platform.ledger.messages
    chat_bot.wait_for(lambda: messages[listed.message_id].versions)
    assert created["id"] not in json.dumps(messages[listed.message_id].content)
    chat_bot.wait_for(
        lambda: [m for m in chat_bot.bot_messages("oc_sre") if "ended the silence" in m.text]
    )
    after = json.dumps(_say(chat_bot, "/alerts").content, ensure_ascii=False)
    line = next(x for x in after.split("\\n") if name in x)
    assert "silenced" not in line and re.search(r"claimed by <at id=ou_alice>", line)


def test_unsilence_needs_an_operator(
    chat_bot: RunningBot, real_alertmanager: RealAlertmanager
) -> None:
    am = real_alertmanager
    payload = _fire(am, chat_bot, "payments")
    name = payload["commonLabels"]["alertname"]
    [card] = chat_bot.bot_messages("oc_sre")
    [silence_2h] = [v for v in _buttons(card.content) if v.get("for") == "2h"]
    chat_bot.sender.click(
        silence_2h, message_id=card.message_id, chat_id="oc_sre", operator="ou_bob"
    )
    [created] = chat_bot.wait_for(lambda: _silences(am, name))
    value = {"action": "silence_expire", "silence_id": created["id"]}
    before = len(chat_bot.bot_messages("oc_elsewhere"))
    chat_bot.sender.click(
        value, message_id=card.message_id, chat_id="oc_elsewhere", operator="ou_x"
    )
    refusal = chat_bot.wait_for(lambda: chat_bot.bot_messages("oc_elsewhere")[before:])[0]
    assert "operator" in json.dumps(refusal.content)
    assert _silences(am, name)[0]["status"]["state"] == "active"


def test_a_typed_duration_silences_for_that_long_and_a_bad_one_is_refused(
    chat_bot: RunningBot, real_alertmanager: RealAlertmanager
) -> None:
    am = real_alertmanager
    payload = _fire(am, chat_bot, "payments")
    name = payload["commonLabels"]["alertname"]
    [card] = chat_bot.bot_messages("oc_sre")
    [custom] = [v for v in _buttons(card.content) if v.get("for") == "custom"]
    where = {"message_id": card.message_id, "chat_id": "oc_sre", "operator": "ou_bob"}
    chat_bot.sender.click(custom, form_value={"duration": "soon"}, **where)
    refusal = chat_bot.wait_for(lambda: [m for m in chat_bot.bot_messages("oc_sre")[1:]])[0]
    assert "soon" in refusal.text and _silences(am, name) == []
    chat_bot.sender.click(custom, form_value={"duration": "45m"}, **where)
    [created] = chat_bot.wait_for(lambda: _silences(am, name))
    ends, starts = (
        datetime.fromisoformat(created[k].replace("Z", "+00:00")) for k in ("endsAt", "startsAt")
    )
    assert timedelta(minutes=44) < ends - starts <= timedelta(minutes=45)
