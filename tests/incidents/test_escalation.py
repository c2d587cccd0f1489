"""Escalation end to end: an alert fires, the on-call person is mentioned, nobody claims it,
urgent_app goes out at the configured minute exactly once (two bots share PostgreSQL,
one scheduler leads), and a claim stops the next step. Real webhook, real lark-oapi
client against the fake platform, frozen clock moved by the test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app.capabilities import push_capabilities
from bot.cards.schema import validate_card
from bot.jobs.job import run_id_for
from bot.metrics import Metrics
from bot.scheduler.runs import RunLedger
from bot.services import Services
from bot.state import Store, open_store
from sandbox.feishu import FakePlatform
from skills.alerts.delivery import Delivery, deliver
from skills.alerts.escalation import escalate_due
from skills.alerts.payload import AlertGroup, group_id
from skills.alerts.routing import parse_routing
from tests.conftest import RunningBot, bot_settings, start_bot
from tests.incidents.conftest import config_file
from tests.push.conftest import (
    FrozenClock,
    SyntheticSource,
    messenger_for,
    push_registry,
    with_source,
)
from tests.push.payloads import webhook

TOKEN = "am-token-for-incident-tests"
FIRED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday 08:00 in Shanghai
CONFIG: dict[str, Any] = {
    "oncall": {
        "tick_seconds": 1,
        "teams": {
            "payments": {
                "members": ["ou_alice", "ou_bob"],
                "rotation": "weekly",
                "handover": "10:00",
                "timezone": "Asia/Shanghai",
                # Shift 0 from Monday 23 Feb 10:00, so alice until Monday 2 March 10:00.
                "start": "2026-02-23",
                "escalation": [
                    {"after_minutes": 5, "via": "urgent_app"},
                    {"after_minutes": 15, "via": "urgent_phone", "to": "next"},
                ],
            }
        },
    },
    "alerts": {
        "routes": [
            {
                "match": {"severity": "critical", "namespace": "default"},
                "chat_id": "oc_sre",
                "team": "payments",
            }
        ]
    },
    "approvals": {"approvers": [{"chat_id": "oc_sre", "namespaces": ["*"]}]},
    "scheduler": {"tick_seconds": 1},
}


def _bot(platform: FakePlatform, db_url: str, tmp_path: Path, clock: FrozenClock) -> RunningBot:
    push = push_capabilities(clock=clock)
    bot = start_bot(
        platform,
        db_url,
        registry=push_registry(),
        capabilities=[with_source(SyntheticSource()), *push],
        CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG),
        ALERTMANAGER_WEBHOOK_TOKEN=TOKEN,
    )
    bot.runtime.services.clock = clock  # claims and the timeline read the same clock
    return bot


def _fire(bot: RunningBot, status: str = "firing") -> dict[str, Any]:
    payload = webhook(status)
    response = httpx.post(
        f"{bot.url}/alertmanager",
        content=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=15,
    )
    assert response.json() == {"status": "sent" if status == "firing" else "patched"}
    return payload


def _urgent(platform: FakePlatform, via: str) -> list[Any]:
    return platform.ledger.calls("PATCH", f"/{via}")


def _settle(store: Store, bot: RunningBot, clock: FrozenClock, **delta: float) -> None:
    """Move the clock and wait until the leader's escalation run at that instant is done."""
    clock.advance(**delta)
    run_id = run_id_for("escalation", clock.now)
    ledger = RunLedger(store)

    def done() -> bool:
        state = asyncio.run(ledger.get(run_id))
        return state is not None and state.state == "done"

    bot.wait_for(done, timeout=20)


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    opened = open_store(pg_url)
    yield opened
    opened.close()


def test_unclaimed_alert_escalates_once_at_the_minute_and_a_claim_stops_it(
    platform: FakePlatform, pg_url: str, tmp_path: Path, store: Store
) -> None:
    clock = FrozenClock(FIRED)
    one = _bot(platform, pg_url, tmp_path, clock)
    two = _bot(platform, pg_url, tmp_path, clock)
    try:
        payload = _fire(two)
        [card] = one.bot_messages("oc_sre")
        text = json.dumps(card.content, ensure_ascii=False)
        assert "<at id=ou_alice></at>" in text and "payments" in text

        _settle(store, one, clock, minutes=4, seconds=59)
        assert _urgent(platform, "urgent_app") == []

        _settle(store, one, clock, seconds=1)  # 5 minutes after the card
        [call] = one.wait_for(lambda: _urgent(platform, "urgent_app"))
        assert call.path == f"/open-apis/im/v1/messages/{card.message_id}/urgent_app"
        assert call.query == {"user_id_type": "open_id"}
        assert call.body == {"user_id_list": ["ou_alice"]}
        shown = one.wait_for(
            lambda: "urgent" in json.dumps(one.bot_messages()[0].content, ensure_ascii=False)
        )
        assert shown

        # Later runs of both replicas do not send it again.
        _settle(store, one, clock, minutes=1)
        _settle(store, one, clock, minutes=1)
        assert len(_urgent(platform, "urgent_app")) == 1

        value = {"action": "alert_ack", "key": group_id(payload["groupKey"])}
        one.sender.click(value, message_id=card.message_id, chat_id="oc_sre", operator="ou_bob")
        one.wait_for(
            lambda: (
                asyncio.run(store.escalations.get(group_id(payload["groupKey"]))).status
                == "claimed"
            )
        )
        _settle(store, one, clock, minutes=10)  # past the 15-minute phone step
        assert _urgent(platform, "urgent_phone") == []
        validate_card(one.bot_messages()[0].content)
        final = json.dumps(one.bot_messages()[0].content, ensure_ascii=False)
        assert "ou_bob" in final and "alert_ack" not in final

        clock.advance(minutes=20)
        _fire(one, "resolved")
        two.sender.say("/incident timeline PaymentsHighLatency", chat_id="oc_sre", sender="ou_x")
        [timeline] = one.wait_for(lambda: one.bot_messages("oc_sre")[1:])
        validate_card(timeline.content)
        lines = [
            line
            for line in json.dumps(timeline.content, ensure_ascii=False).split("\\n")
            if " · " in line
        ]
        assert [line.split(" · ")[1] for line in lines] == [
            "**fired**",
            "**escalated**",
            "**claimed**",
            "**resolved**",
        ]
        assert "03-02 08:05:00" in lines[1] and "urgent_app → ou_alice: sent" in lines[1]
        assert "<at id=ou_bob></at>" in lines[2] and "03-02 08:07:00" in lines[2]
    finally:
        one.stop()
        two.stop()


def test_the_phone_step_calls_the_next_person_when_nobody_claims(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    clock = FrozenClock(FIRED)
    bot = _bot(platform, db_url, tmp_path, clock)
    store = open_store(db_url)
    try:
        _fire(bot)
        _settle(store, bot, clock, minutes=15)
        [phone] = bot.wait_for(lambda: _urgent(platform, "urgent_phone"))
        assert phone.body == {"user_id_list": ["ou_bob"]}  # to: next
        # Both steps were due at once (the clock jumped): the app step went out too.
        assert [c.body for c in _urgent(platform, "urgent_app")] == [{"user_id_list": ["ou_alice"]}]
    finally:
        store.close()
        bot.stop()


def test_a_missing_urgent_scope_falls_back_to_the_next_channel_and_names_it(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    platform.revoke_scope("im:message.urgent")
    clock = FrozenClock(FIRED)
    bot = _bot(platform, db_url, tmp_path, clock)
    store = open_store(db_url)
    try:
        _fire(bot)
        _settle(store, bot, clock, minutes=5)
        [sms] = bot.wait_for(lambda: _urgent(platform, "urgent_sms"))
        assert sms.body == {"user_id_list": ["ou_alice"]}
        [refused] = _urgent(platform, "urgent_app")
        assert refused.status == 400
        card = bot.wait_for(
            lambda: [
                m
                for m in bot.bot_messages()
                if "im:message.urgent" in json.dumps(m.content, ensure_ascii=False)
            ]
        )[0]
        validate_card(card.content)
        text = json.dumps(card.content, ensure_ascii=False)
        assert "SMS urgent" in text
    finally:
        store.close()
        bot.stop()


def test_two_replicas_running_the_same_due_step_at_once_send_it_once(
    platform: FakePlatform, pg_url: str, tmp_path: Path
) -> None:
    """Without the leader lease (both run): the conditional take still lets one through."""
    settings = bot_settings(platform, pg_url, CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG))
    stores = [open_store(pg_url), open_store(pg_url)]
    replicas = [Services(settings, s, messenger_for(platform), Metrics()) for s in stores]
    how = Delivery(parse_routing(CONFIG["alerts"]), "Asia/Shanghai", can_silence=False)
    group = AlertGroup.model_validate(webhook("firing"))
    try:
        assert asyncio.run(deliver(replicas[0], group, "d1", how, now=FIRED)) == "sent"
        due = FIRED + timedelta(minutes=5)

        async def both() -> list[int]:
            return list(
                await asyncio.gather(*(escalate_due(r, due, "Asia/Shanghai") for r in replicas))
            )

        assert sorted(asyncio.run(both())) == [0, 1]
        assert len(_urgent(platform, "urgent_app")) == 1
    finally:
        for s in stores:
            s.close()


def test_another_failure_is_shown_and_does_not_fall_back(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    clock = FrozenClock(FIRED)
    bot = _bot(platform, db_url, tmp_path, clock)
    store = open_store(db_url)
    try:
        _fire(bot)
        # Feishu: "The user has too many unread urgent messages."
        platform.fail_next("/urgent_app", status=400, code=230023)
        _settle(store, bot, clock, minutes=5)
        card = bot.wait_for(
            lambda: [m for m in bot.bot_messages() if "code 230023" in json.dumps(m.content)]
        )[0]
        assert "in-app urgent failed" in json.dumps(card.content, ensure_ascii=False)
        assert _urgent(platform, "urgent_sms") == [] and _urgent(platform, "urgent_phone") == []
    finally:
        store.close()
        bot.stop()
