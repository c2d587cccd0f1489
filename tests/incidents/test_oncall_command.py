"""/oncall through the real bot: who is on call, swaps and overrides by @-mention, refusals."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cards.schema import validate_card
from bot.state import open_store
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot
from tests.incidents.conftest import config_file
from tests.push.conftest import FrozenClock

NOW = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # Tuesday 12:00 in Shanghai
CONFIG: dict[str, Any] = {
    "oncall": {
        "teams": {
            # Shift 0 is the week from Monday 2 March 10:00: alice, then bob, then carol.
            "payments": {
                "members": ["ou_alice", "ou_bob", "ou_carol"],
                "rotation": "weekly",
                "handover": "10:00",
                "timezone": "Asia/Shanghai",
                "start": "2026-03-02",
            },
            "search": {
                "members": ["ou_dave", "ou_alice"],
                "rotation": "daily",
                "handover": "09:00",
                "timezone": "Asia/Shanghai",
                "start": "2026-03-03",
            },
        }
    },
    "access": {"grants": [{"role": "operator", "chat_ids": ["oc_ops"]}]},
}


@pytest.fixture
def oncall_bot(platform: FakePlatform, db_url: str, tmp_path: Path) -> Iterator[RunningBot]:
    bot = start_bot(platform, db_url, CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG))
    bot.runtime.services.clock = FrozenClock(NOW)
    yield bot
    bot.stop()


def _say(bot: RunningBot, text: str, mentions: list[str], chat_id: str = "oc_ops") -> Any:
    """Send ``text`` where each ``@`` is a mention of the next of ``mentions``."""
    before = len(bot.bot_messages(chat_id))
    envelope = bot.sender.message_envelope(text, chat_id=chat_id, sender="ou_lead")
    message = envelope["event"]["message"]
    content = json.loads(message["content"])
    for i, person in enumerate(mentions, start=2):
        key = f"@_user_{i}"
        content["text"] = re.sub(r"(?<= )@(?= |$)", key, content["text"], count=1)
        message["mentions"].append({"key": key, "id": {"open_id": person}, "name": person})
    message["content"] = json.dumps(content)
    bot.sender.post(envelope)
    reply = bot.wait_for(lambda: bot.bot_messages(chat_id)[before:])[0]
    validate_card(reply.content)
    return reply


def _text(message: Any) -> str:
    return json.dumps(message.content, ensure_ascii=False)


def test_oncall_shows_current_and_next_with_mentions(oncall_bot: RunningBot) -> None:
    text = _text(_say(oncall_bot, "/oncall", []))
    assert "<at id=ou_alice></at> (until 03-09 10:00), next <at id=ou_bob></at>" in text
    # search: daily from Tuesday 09:00, so dave until Wednesday 09:00, then alice.
    assert "<at id=ou_dave></at> (until 03-04 09:00), next <at id=ou_alice></at>" in text


def test_swap_exchanges_the_two_turns(oncall_bot: RunningBot, db_url: str) -> None:
    text = _text(_say(oncall_bot, "/oncall swap @ @", ["ou_alice", "ou_bob"]))
    assert "**payments**: <at id=ou_bob></at>" in text
    assert "next <at id=ou_alice></at>" in text
    assert "swapped until 03-16 10:00" in text  # once both served their next week
    store = open_store(db_url)
    try:
        [entry] = asyncio.run(store.audit.recent(5))
    finally:
        store.close()
    assert (entry.actor, entry.action, entry.result) == ("ou_lead", "oncall_swap", "ok")


def test_override_covers_for_the_duration_then_hands_back(oncall_bot: RunningBot) -> None:
    text = _text(_say(oncall_bot, "/oncall override @ 2h", ["ou_carol"]))
    assert (
        "**payments**: <at id=ou_carol></at> (until 03-03 14:00), next <at id=ou_alice></at>"
        in (text)
    )
    assert "covers until 03-03 14:00" in text


@pytest.mark.parametrize(
    ("text", "mentions", "problem"),
    [
        ("/oncall swap @ @", ["ou_alice", "ou_zed"], "not on one on-call team"),
        ("/oncall swap @", ["ou_alice"], "Mention 2 member(s)"),
        ("/oncall override @ 2h", ["ou_alice"], "on several teams"),
        ("/oncall override @ 2h nowhere", ["ou_bob"], "no on-call team named nowhere"),
        ("/oncall override @ 2h search", ["ou_bob"], "not a member of team search"),
        ("/oncall swap @ @ 2020-01-01", ["ou_alice", "ou_bob"], "already past"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(
    oncall_bot: RunningBot, db_url: str, text: str, mentions: list[str], problem: str
) -> None:
    assert problem in _text(_say(oncall_bot, text, mentions))
    store = open_store(db_url)
    try:
        assert asyncio.run(store.oncall.active("payments", NOW)) == []
    finally:
        store.close()


def test_changes_need_the_operator_role(oncall_bot: RunningBot, db_url: str) -> None:
    reply = _text(_say(oncall_bot, "/oncall swap @ @", ["ou_alice", "ou_bob"], chat_id="oc_x"))
    assert "operator" in reply
    store = open_store(db_url)
    try:
        assert asyncio.run(store.oncall.active("payments", NOW)) == []
    finally:
        store.close()
