"""Audit point 3: Silence and Acknowledge need an operator for the alert's namespace, in
the chat of the alert card; anyone else's click never reaches Alertmanager."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app.capabilities import push_capabilities
from sandbox.feishu import FakePlatform
from skills.alerts.payload import group_id
from tests.conftest import RunningBot, start_bot
from tests.push.conftest import FakeAlertmanager, SyntheticSource, push_registry, with_source
from tests.push.payloads import webhook
from tests.push.test_alertmanager import TOKEN, post

ONCALL, MALLORY = "ou_oncall", "ou_mallory"
CONFIG = {
    "alerts": {
        "routes": [{"match": {"namespace": "default"}, "chat_id": "oc_sre"}],
        "default_chat_id": "oc_default",
    },
    "access": {
        "grants": [
            {"role": "operator", "open_ids": [ONCALL], "namespaces": ["default"]},
            {"role": "viewer", "open_ids": [MALLORY], "namespaces": ["*"]},
        ]
    },
}


@pytest.fixture
def am_bot(
    platform: FakePlatform, db_url: str, tmp_path: Path, alertmanager: tuple[str, FakeAlertmanager]
) -> Iterator[RunningBot]:
    url, _ = alertmanager
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(CONFIG), encoding="utf-8")
    environ = {"ALERTMANAGER_WEBHOOK_TOKEN": TOKEN, "ALERTMANAGER_URL": url}
    bot = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[
            with_source(SyntheticSource()),
            *push_capabilities(),
        ],
        CLOUDOPS_CONFIG=str(config),
        **environ,
    )
    yield bot
    bot.stop()


def _click(bot: RunningBot, action: str, key: str, card: Any, chat: str, who: str) -> None:
    value = {"action": action, "key": key}
    bot.sender.click(value, message_id=card.message_id, chat_id=chat, operator=who)


def _audit(bot: RunningBot) -> set[tuple[str, str, str, str]]:
    entries = asyncio.run(bot.runtime.services.store.audit.recent(50))
    return {(e.actor, e.chat_id, e.action, e.result) for e in entries}


def test_silence_and_ack_from_a_non_operator_or_a_foreign_chat_never_reach_alertmanager(
    am_bot: RunningBot, alertmanager: tuple[str, FakeAlertmanager]
) -> None:
    _, fake = alertmanager
    payload = webhook("firing")
    post(am_bot, payload)
    [card] = am_bot.bot_messages("oc_sre")
    key = group_id(payload["groupKey"])

    _click(am_bot, "alert_silence", key, card, "oc_foreign", MALLORY)
    _click(am_bot, "alert_silence", key, card, "oc_sre", MALLORY)
    _click(am_bot, "alert_silence", key, card, "oc_foreign", ONCALL)
    _click(am_bot, "alert_ack", key, card, "oc_sre", MALLORY)
    am_bot.wait_for(lambda: len(_refusals(am_bot)) == 4)
    assert fake.silences == []
    assert not am_bot.bot_messages("oc_sre")[0].versions  # the alert card is untouched
    assert {
        (MALLORY, "oc_foreign", "alert_silence", "other_chat"),
        (MALLORY, "oc_sre", "alert_silence", "unauthorised"),
        (ONCALL, "oc_foreign", "alert_silence", "other_chat"),
        (MALLORY, "oc_sre", "alert_ack", "unauthorised"),
    } <= _audit(am_bot)
    named = [m for m in _refusals(am_bot) if "operator" in json.dumps(m.content)]
    assert named and all("default" in json.dumps(m.content) for m in named)

    _click(am_bot, "alert_silence", key, card, "oc_sre", ONCALL)  # the on-call operator
    am_bot.wait_for(lambda: fake.silences)
    assert [s["createdBy"] for s in fake.silences] == [ONCALL]


def _refusals(bot: RunningBot) -> list[Any]:
    return [m for m in bot.bot_messages() if "Not allowed" in json.dumps(m.content)]
