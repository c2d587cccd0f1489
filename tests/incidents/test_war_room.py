"""War-room groups end to end, in process: the router's own message and click handling, the
real lark-oapi client against the fake platform (which records the groups it creates),
a SQLite store and a frozen clock."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agents import Agents, load_llm_config
from bot.cards.schema import validate_card
from bot.events import CardAction, IncomingMessage
from bot.metrics import Metrics
from bot.router import handle_action, handle_message
from bot.services import Services
from bot.state import Store, open_store
from sandbox.feishu import FakePlatform
from sandbox.feishu.records import FakeChat, FakeMessage
from skills.alerts.delivery import Delivery, deliver
from skills.alerts.payload import AlertGroup, group_id
from skills.alerts.routing import parse_routing
from tests.agents.chat_server import ChatServer, completion
from tests.conftest import bot_settings
from tests.incidents.conftest import config_file
from tests.push.conftest import FrozenClock, SyntheticSource, messenger_for, push_registry
from tests.push.payloads import webhook

FIRED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday 08:00 in Shanghai: alice on call
CONFIG: dict[str, Any] = {
    "oncall": {
        "teams": {
            "payments": {
                "members": ["ou_alice", "ou_bob"],
                "handover": "10:00",
                "timezone": "Asia/Shanghai",
                "start": "2026-02-23",
            }
        }
    },
    "alerts": {
        "routes": [{"match": {"namespace": "default"}, "chat_id": "oc_sre", "team": "payments"}]
    },
    "incidents": {"responders": ["ou_carol"]},
    "access": {
        "reads": "everyone",
        "grants": [{"role": "operator", "open_ids": ["ou_bob", "ou_lead"]}],
    },
}
KEY = group_id(webhook("firing")["groupKey"])


REGISTRY = push_registry()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def services(platform: FakePlatform, db_url: str, tmp_path: Path, store: Store) -> Services:
    settings = bot_settings(platform, db_url, CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG))
    found = Services(settings, store, messenger_for(platform), Metrics())
    found.bot_open_id = platform.bot_open_id
    found.prometheus = SyntheticSource(spike_at=datetime(2026, 3, 1, 23, 45, tzinfo=UTC))
    found.clock = FrozenClock(FIRED)
    return found


def _click(services: Services, action: str, card: FakeMessage, who: str) -> None:
    value = {"action": action, "key": KEY}
    click = CardAction("ev_" + secrets.token_hex(6), who, card.chat_id, card.message_id, value)
    asyncio.run(handle_action(click, services, REGISTRY))


def _say(
    services: Services, platform: FakePlatform, chat_id: str, text: str, who: str, *mentions: str
) -> FakeMessage:
    """``text`` said in ``chat_id`` by ``who`` (mentioning the bot and ``mentions``); the
    bot's answer."""
    before = len(platform.ledger.sent(chat_id))
    said = platform.inject_user_message(chat_id, text, who)
    message = IncomingMessage(
        "ev_" + secrets.token_hex(6),
        said.message_id,
        chat_id,
        "group",
        who,
        "user",
        "text",
        text,
        (platform.bot_open_id, *mentions),
    )
    asyncio.run(handle_message(message, services, REGISTRY))
    answer = [m for m in platform.ledger.sent(chat_id)[before:] if m.msg_type == "interactive"]
    assert answer, text
    validate_card(answer[-1].content)
    return answer[-1]


def _attached(platform: FakePlatform, chat_id: str) -> tuple[FakeMessage, str, str]:
    """The last file the bot sent in ``chat_id``: its message, name and text."""
    message = [m for m in platform.ledger.sent(chat_id) if m.msg_type == "file"][-1]
    name, data = platform.uploads[message.content["file_key"]]
    return message, name, data.decode("utf-8")


def _text(message: FakeMessage) -> str:
    return json.dumps(message.content, ensure_ascii=False)


def _chats(platform: FakePlatform) -> list[FakeChat]:
    with platform.ledger.lock:
        return list(platform.ledger.chats.values())


@pytest.fixture
def fired(services: Services, platform: FakePlatform) -> FakeMessage:
    """The alert card of PaymentsHighLatency in oc_sre (team payments)."""
    how = Delivery(parse_routing(CONFIG["alerts"]), "Asia/Shanghai", can_silence=False)
    group = AlertGroup.model_validate(webhook("firing"))
    assert asyncio.run(deliver(services, group, "d1", how, now=FIRED)) == "sent"
    [card] = platform.ledger.sent("oc_sre")
    return card


def test_the_war_room_button_opens_a_group_with_its_people_cards_and_a_link(
    services: Services, platform: FakePlatform, store: Store, fired: FakeMessage
) -> None:
    assert "incident_start" in _text(fired)
    _click(services, "alert_ack", fired, "ou_bob")
    _click(services, "incident_start", fired, "ou_bob")

    [chat] = _chats(platform)
    # The clicker, the on-call person of the alert's team, the claimer (the clicker
    # again) and the configured responders.
    assert chat.members == ["ou_bob", "ou_alice", "ou_carol"]
    assert chat.name == "[investigating] P1 payments p99 latency above 1s"
    assert "severity P1" in chat.description
    [create] = platform.ledger.calls("POST", "/open-apis/im/v1/chats")
    assert create.query["user_id_type"] == "open_id" and create.query["uuid"]

    cards = platform.ledger.sent(chat.chat_id)
    for card in cards:
        validate_card(card.content)
    assert "Incident #1" in _text(cards[0]) and "PaymentsHighLatency" in _text(cards[0])
    assert "<at id=ou_bob></at>" in _text(cards[0])
    assert len(cards) == 2  # the incident card, then the /rca card of the alert's service
    assert cards[1].content["header"]["title"]["content"] == "Root cause · payments"

    linked = platform.ledger.messages[fired.message_id]
    assert f"openChatId={chat.chat_id}" in _text(linked)
    assert "incident_start" not in _text(linked)
    notice = platform.ledger.sent("oc_sre")[-1]
    assert "War room opened" in _text(notice) and chat.chat_id in _text(notice)

    incident = asyncio.run(store.incidents.in_chat(chat.chat_id))
    assert incident is not None
    assert (incident.id, incident.severity, incident.status) == (1, 1, "investigating")
    assert (incident.alert_key, incident.created_by, incident.namespace) == (
        KEY,
        "ou_bob",
        "default",
    )
    assert incident.message_id == cards[0].message_id
    events = asyncio.run(store.timeline.events(KEY))
    assert [e.kind for e in events] == ["fired", "claimed", "opened"]
    assert events[-1].actor == "ou_bob" and chat.chat_id in events[-1].detail

    # A second click (or another person's) points at the same group.
    _click(services, "incident_start", fired, "ou_lead")
    assert len(_chats(platform)) == 1
    assert "already has a war room" in _text(platform.ledger.sent("oc_sre")[-1])


def test_commands_in_the_group_change_the_incident_its_name_and_timeline(
    services: Services, platform: FakePlatform, store: Store
) -> None:
    opened = _say(services, platform, "oc_ops", "/incident start db failover --sev 2", "ou_lead")
    assert "War room opened" in _text(opened)
    [chat] = _chats(platform)
    room = chat.chat_id
    assert chat.members == ["ou_lead", "ou_carol"]
    assert chat.name == "[investigating] P2 db failover"

    clock: FrozenClock = services.clock  # type: ignore[assignment]
    status = _say(services, platform, room, "/incident status", "ou_viewer")
    assert "Incident #1: db failover" in _text(status) and "P2" in _text(status)

    clock.advance(minutes=1)
    assert "P1" in _text(_say(services, platform, room, "/incident sev 1", "ou_lead"))
    assert chat.name == "[investigating] P1 db failover"

    clock.advance(minutes=1)
    assigned = _say(services, platform, room, "/incident assign", "ou_lead", "ou_dave")
    assert "<at id=ou_dave></at>" in _text(assigned)
    assert "ou_dave" in chat.members and "assignee ou_dave" in chat.description

    clock.advance(minutes=1)
    _say(services, platform, room, "/incident note primary promoted", "ou_bob")
    clock.advance(minutes=1)
    resolved = _say(services, platform, room, "/incident resolve", "ou_lead")
    assert "resolved" in _text(resolved)
    assert chat.name == "[resolved] P1 db failover"

    incident = asyncio.run(store.incidents.in_chat(room))
    assert incident is not None
    assert (incident.severity, incident.status, incident.assignee) == (1, "resolved", "ou_dave")
    assert incident.resolved_at == FIRED.replace(minute=4)
    # The incident card in the group follows every change.
    assert "resolved" in _text(platform.ledger.messages[incident.message_id])

    events = asyncio.run(store.timeline.events("incident-1"))
    assert [(e.kind, e.actor, e.at.minute) for e in events] == [
        ("opened", "ou_lead", 0),
        ("severity", "ou_lead", 1),
        ("assigned", "ou_lead", 2),
        ("note", "ou_bob", 3),
        ("resolved", "ou_lead", 4),
    ]
    assert events[1].detail == "P2 → P1" and events[3].detail == "primary promoted"

    shown = _text(_say(services, platform, room, "/incident timeline", "ou_viewer"))
    assert "Timeline: db failover" in shown
    assert "08:03:00 · **note** · <at id=ou_bob></at> · primary promoted" in shown

    again = _say(services, platform, room, "/incident sev 3", "ou_lead")
    assert "already resolved" in _text(again)


def test_changes_need_the_operator_role_and_change_nothing(
    services: Services, platform: FakePlatform, store: Store, fired: FakeMessage
) -> None:
    _click(services, "incident_start", fired, "ou_viewer")
    assert _chats(platform) == []
    assert "operator" in _text(platform.ledger.sent("oc_sre")[-1])

    _say(services, platform, "oc_ops", "/incident start db failover", "ou_lead")
    [chat] = _chats(platform)
    refused = _say(services, platform, chat.chat_id, "/incident resolve", "ou_viewer")
    assert "operator" in _text(refused)
    incident = asyncio.run(store.incidents.in_chat(chat.chat_id))
    assert incident is not None and incident.status == "investigating"
    assert [e.kind for e in asyncio.run(store.timeline.events("incident-1"))] == ["opened"]


def test_a_bot_without_the_chat_scope_gets_a_card_naming_it_and_nothing_changes(
    services: Services, platform: FakePlatform, store: Store, fired: FakeMessage
) -> None:
    platform.revoke_scope("im:chat")
    _click(services, "incident_start", fired, "ou_bob")
    [refused] = platform.ledger.calls("POST", "/open-apis/im/v1/chats")
    assert refused.status == 400
    card = platform.ledger.sent("oc_sre")[-1]
    validate_card(card.content)
    assert "Cannot open the war room" in _text(card) and "im:chat" in _text(card)
    assert _chats(platform) == []
    assert asyncio.run(store.incidents.open_for_alert(KEY)) is None
    assert "incident_start" in _text(platform.ledger.messages[fired.message_id])
    [entry] = asyncio.run(store.audit.recent(1))
    assert (entry.action, entry.result) == ("incident_start", "failed")

    platform.granted_scopes.add("im:chat")  # granted: the same button now works
    _click(services, "incident_start", fired, "ou_bob")
    assert len(_chats(platform)) == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("/incident sev 9", "from 1 to 4"),
        ("/incident start", "Missing argument: &#60;title&#62;"),
        ("/incident status", "not an incident war room"),
    ],
)
def test_bad_commands_are_answered(
    services: Services, platform: FakePlatform, text: str, problem: str
) -> None:
    assert problem in _text(_say(services, platform, "oc_ops", text, "ou_lead"))
    assert _chats(platform) == []


def test_postmortem_and_stats_from_the_timeline(
    services: Services, platform: FakePlatform, fired: FakeMessage
) -> None:
    """After a claim and a war room: the postmortem draft lists the incident's events in
    its timeline, and the stats card counts the claimed incident for the route's team."""
    services.clock = FrozenClock(FIRED + timedelta(minutes=4))
    _click(services, "alert_ack", fired, "ou_bob")
    _click(services, "incident_start", fired, "ou_bob")
    [chat] = _chats(platform)

    draft = _say(services, platform, chat.chat_id, "/incident postmortem", "ou_viewer")
    text = _text(draft)
    assert "Postmortem (draft): PaymentsHighLatency" in text
    for section in ("Summary", "Impact window", "Timeline", "Root cause"):
        assert section in text
    assert "ou_bob" in text and KEY in text  # the claim's actor, the alert group
    # the same Markdown attached as a file, in the command's thread
    attached, name, markdown = _attached(platform, chat.chat_id)
    assert name.startswith("postmortem-PaymentsHighLatency-") and name.endswith(".md")
    assert markdown.startswith("# ") and "ou_bob" in markdown and KEY in markdown
    assert attached.thread_id and attached.thread_id == draft.thread_id

    services.clock = FrozenClock(FIRED + timedelta(hours=1))
    shown = _say(services, platform, "oc_sre", "/incident stats 7d", "ou_viewer")
    table = next(e for e in shown.content["body"]["elements"] if e.get("tag") == "table")
    [row] = [r for r in table["rows"] if r.get("team") == "payments"]
    assert "7d" in _text(shown) and row["incidents"] == 1 and row["unclaimed"] == 0


def test_with_an_llm_the_postmortem_is_reworded_and_checked_against_the_timeline(
    services: Services, platform: FakePlatform, fired: FakeMessage
) -> None:
    """The model's rewording is shown and attached when it keeps the timeline's facts; one
    that states a time or person the timeline lacks is dropped and the draft stands."""
    services.clock = FrozenClock(FIRED + timedelta(minutes=4))
    _click(services, "alert_ack", fired, "ou_bob")
    _say(services, platform, "oc_sre", "/incident postmortem", "ou_viewer")
    _, _, draft = _attached(platform, "oc_sre")  # without an LLM: the timeline's draft
    faithful = draft.replace("# ", "# Blameless review: ", 1)
    invented = faithful + "\n- 03:17 ou_mallory restarted the database\n"
    with ChatServer() as server:
        config = load_llm_config(
            {"LLM_MODEL": "test-model", "LLM_BASE_URL": server.base_url, "LLM_MAX_RETRIES": "0"}
        )
        assert config is not None
        services.agents = Agents(config)
        try:
            server.reply = completion(json.dumps({"markdown": faithful}))
            shown = _say(services, platform, "oc_sre", "/incident postmortem", "ou_viewer")
            assert "Blameless review" in _text(shown) and "checked against" in _text(shown)
            assert _attached(platform, "oc_sre")[2] == faithful
            prompt = json.dumps(server.requests[-1], ensure_ascii=False)
            assert "ou_bob" in prompt  # the model was given the timeline's draft

            server.reply = completion(json.dumps({"markdown": invented}))
            shown = _say(services, platform, "oc_sre", "/incident postmortem", "ou_viewer")
            assert "ou_mallory" not in _text(shown) and "dropped" in _text(shown)
            assert _attached(platform, "oc_sre")[2] == draft
        finally:
            asyncio.run(services.agents.close())
