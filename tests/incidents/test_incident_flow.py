"""The incidents acceptance test, end to end: an alert fires and mentions the on-call
person, nobody claims it, the first escalation step goes out exactly once although three
replicas run it at the same instant, a claim stops the next step, the war-room button
opens a group with its people, "Run RCA" answers in the alert card's thread, and the
incident's resolution, timeline and postmortem name every step.

Three ``Services`` share one PostgreSQL database, each with its own lark-oapi messenger
against the fake Feishu platform; one frozen clock moved by the test. Every assertion
reads what the platform received."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cards.schema import validate_card
from bot.events import CardAction
from bot.metrics import Metrics
from bot.router import handle_action
from bot.services import Services
from bot.state import open_store
from sandbox.feishu import FakePlatform
from sandbox.feishu.records import FakeMessage, Recorded
from skills.alerts.delivery import Delivery, deliver
from skills.alerts.escalation import escalate_due
from skills.alerts.payload import AlertGroup
from skills.alerts.routing import parse_routing
from tests.conftest import bot_settings
from tests.incidents.conftest import config_file
from tests.incidents.test_war_room import REGISTRY, _attached, _chats, _click, _say, _text
from tests.push.conftest import FrozenClock, SyntheticSource, messenger_for
from tests.push.payloads import webhook

FIRED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday 08:00 in Shanghai: alice on call
TIMEZONE = "Asia/Shanghai"
CONFIG: dict[str, Any] = {
    "oncall": {
        "teams": {
            "payments": {
                "members": ["ou_alice", "ou_bob"],
                "rotation": "weekly",
                "handover": "10:00",
                "timezone": TIMEZONE,
                "start": "2026-02-23",  # shift 0: alice until Monday 2 March 10:00
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
    "incidents": {"responders": ["ou_carol"]},
    "access": {
        "reads": "everyone",
        "grants": [{"role": "operator", "open_ids": ["ou_alice", "ou_lead"]}],
    },
}


@pytest.fixture
def replicas(platform: FakePlatform, pg_url: str, tmp_path: Path) -> Iterator[list[Services]]:
    """Three bots on one database, each with its own messenger, all on one clock."""
    settings = bot_settings(platform, pg_url, CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG))
    clock = FrozenClock(FIRED)
    stores = [open_store(pg_url) for _ in range(3)]
    found = []
    for store in stores:
        services = Services(settings, store, messenger_for(platform), Metrics())
        services.bot_open_id = platform.bot_open_id
        services.prometheus = SyntheticSource(spike_at=FIRED - timedelta(minutes=15))
        services.clock = clock
        found.append(services)
    try:
        yield found
    finally:
        for store in stores:
            store.close()


def _urgent(platform: FakePlatform) -> list[Recorded]:
    """Every urgent notification (app, SMS, phone) the platform was asked for."""
    return platform.ledger.calls("PATCH", "/urgent_")


def _escalate_on_all(replicas: list[Services]) -> None:
    """All replicas run the escalation step at the same instant (no leader lease)."""
    now = replicas[0].clock()

    async def together() -> None:
        await asyncio.gather(*(escalate_due(r, now, TIMEZONE) for r in replicas))

    asyncio.run(together())


def _button(card: FakeMessage, action: str) -> dict[str, Any]:
    """The value of the card's button for ``action`` as the platform holds the card now."""
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

    walk(card.content)
    [value] = [v for v in found if v.get("action") == action]
    return value


def _press(services: Services, value: dict[str, Any], card: FakeMessage, who: str) -> None:
    click = CardAction("ev_" + secrets.token_hex(6), who, card.chat_id, card.message_id, value)
    asyncio.run(handle_action(click, services, REGISTRY))


def test_an_alert_from_firing_to_postmortem_on_three_replicas(
    replicas: list[Services], platform: FakePlatform
) -> None:
    one, two, three = replicas
    clock: FrozenClock = one.clock  # type: ignore[assignment]

    # 1. The alert fires: its card in the route's chat mentions the team's on-call person.
    how = Delivery(parse_routing(CONFIG["alerts"]), TIMEZONE, can_silence=False)
    group = AlertGroup.model_validate(webhook("firing"))
    asyncio.run(deliver(one, group, "d1", how, now=clock()))
    [card] = platform.ledger.sent("oc_sre")
    validate_card(card.content)
    assert "<at id=ou_alice></at>" in _text(card) and "payments" in _text(card)
    assert _button(card, "alert_ack") and _button(card, "incident_start")

    # 2. Nobody claims; one second before the first step's minute nothing goes out, at
    # its minute the three replicas run it at once: one urgent_app call, to alice.
    clock.advance(minutes=4, seconds=59)
    _escalate_on_all(replicas)
    assert _urgent(platform) == []
    clock.advance(seconds=1)
    _escalate_on_all(replicas)
    [call] = _urgent(platform)
    assert call.path == f"/open-apis/im/v1/messages/{card.message_id}/urgent_app"
    assert call.query == {"user_id_type": "open_id"} and call.status == 200
    assert call.body == {"user_id_list": ["ou_alice"]}
    clock.advance(minutes=1)
    _escalate_on_all(replicas)  # already taken: not sent again
    assert len(_urgent(platform)) == 1

    # 3. Alice claims it (on another replica); past the phone step's minute the three
    # replicas run again and nothing more goes out.
    clock.advance(minutes=1)  # 08:07
    _click(two, "alert_ack", card, "ou_alice")
    claimed = platform.ledger.messages[card.message_id]
    validate_card(claimed.content)
    assert "ou_alice" in _text(claimed) and "alert_ack" not in _text(claimed)
    clock.advance(minutes=10)  # 08:17, past the 15-minute phone step
    _escalate_on_all(replicas)
    assert len(_urgent(platform)) == 1 and platform.ledger.calls("PATCH", "/urgent_phone") == []

    # 4. The lead opens the war room: a group with the on-call person (who claimed it)
    # and the responders, the incident card and the RCA card in it, the alert card links it.
    clock.advance(minutes=1)  # 08:18
    _click(three, "incident_start", card, "ou_lead")
    [chat] = _chats(platform)
    room = chat.chat_id
    assert chat.members == ["ou_lead", "ou_alice", "ou_carol"]
    posted = platform.ledger.sent(room)
    for message in posted:
        validate_card(message.content)
    assert len(posted) == 2
    assert "PaymentsHighLatency" in _text(posted[0]) and "Incident #1" in _text(posted[0])
    assert posted[1].content["header"]["title"]["content"] == "Root cause · payments"
    linked = platform.ledger.messages[card.message_id]
    assert f"openChatId={room}" in _text(linked) and "incident_start" not in _text(linked)

    # 5. "Run RCA" on the alert card: the RCA card opens a thread on the alert card.
    clock.advance(minutes=1)  # 08:19
    before = {m.message_id for m in platform.ledger.sent("oc_sre")}
    _press(one, _button(linked, "alert_rca"), linked, "ou_bob")
    [rca] = [
        m
        for m in platform.ledger.sent("oc_sre")
        if m.message_id not in before and m.msg_type == "interactive"
    ]
    validate_card(rca.content)
    assert rca.content["header"]["title"]["content"] == "Root cause · payments"
    thread = platform.ledger.messages[card.message_id].thread_id
    assert rca.parent_id == card.message_id
    assert thread != "" and rca.thread_id == thread

    # 6. The lead resolves it in the group; the timeline and the postmortem name every step.
    clock.advance(minutes=1)  # 08:20
    resolved = _say(two, platform, room, "/incident resolve", "ou_lead")
    assert "resolved" in _text(resolved)
    assert chat.name.startswith("[resolved] ")

    shown = _say(three, platform, room, "/incident timeline", "ou_viewer")
    lines = [line for line in _text(shown).split("\\n") if " · " in line]
    assert [line.split(" · ")[1] for line in lines] == [
        "**fired**",
        "**escalated**",
        "**claimed**",
        "**war room opened**",
        "**resolved**",
    ]
    assert "03-02 08:00:00" in lines[0]
    assert "03-02 08:05:00" in lines[1] and "urgent_app → ou_alice: sent" in lines[1]
    assert "03-02 08:07:00" in lines[2] and "<at id=ou_alice></at>" in lines[2]
    assert "03-02 08:18:00" in lines[3] and "<at id=ou_lead></at>" in lines[3] and room in lines[3]
    assert "03-02 08:20:00" in lines[4] and "<at id=ou_lead></at>" in lines[4]

    draft = _say(one, platform, room, "/incident postmortem", "ou_viewer")
    assert "Postmortem (draft): PaymentsHighLatency" in _text(draft)
    attached, name, markdown = _attached(platform, room)
    assert name.endswith(".md") and attached.thread_id == draft.thread_id != ""
    section = markdown.split("## Timeline\n\n", 1)[1].split("\n\n## ", 1)[0]
    steps = section.splitlines()
    assert [step.split(" · ")[1] for step in steps] == [
        "fired",
        "escalated",
        "claimed",
        "war room opened",
        "resolved",
    ]
    assert steps[0] == "- 2026-03-02 08:00:00 · fired · alertmanager"
    assert steps[1].startswith("- 2026-03-02 08:05:00 · escalated")
    assert "urgent_app → ou_alice: sent" in steps[1]
    assert steps[2] == "- 2026-03-02 08:07:00 · claimed · ou_alice"
    assert "ou_lead" in steps[3] and room in steps[3]
    assert steps[4].startswith("- 2026-03-02 08:20:00 · resolved · ou_lead")
