"""Audit point 9: user text echoed into bot-authored card markdown stays inert.

A reject reason, a malformed command argument and a question reach cards through the
running bot; none may mention everyone, add a link of its own or hide a ``<word>``."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.cards.validation import card_problems
from tests.fix.conftest import FixEnv, card_text, walk

HOSTILE = "<at id=all></at> [click](javascript:alert(1)) <script>x</script> <deployment>"
LIVE_TAG = re.compile(r"<(at id=all|script|deployment)\b", re.IGNORECASE)
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(javascript:")  # "\[x](...)" is plain text


def _markdown(card: dict[str, Any]) -> list[str]:
    return [str(e.get("content", "")) for e in walk(card) if e.get("tag") == "markdown"]


def _assert_inert(card: dict[str, Any]) -> None:
    assert card_problems(card) == [], json.dumps(card, ensure_ascii=False)[:800]
    for content in _markdown(card):
        assert not LIVE_TAG.search(content), content
        assert not LIVE_LINK.search(content), content  # no link of the user's making


def test_a_hostile_reject_reason_is_shown_inert(env: FixEnv) -> None:
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    env.click({"action": "reject_plan", "plan_id": plan_id}, card, form_value={"reason": HOSTILE})

    def rejected() -> dict[str, Any] | None:
        content = next(m for m in env.messages() if m.message_id == card.message_id).content
        return content if "Rejected" in content["header"]["title"]["content"] else None

    content = env.bot.wait_for(rejected)
    assert "javascript" in card_text(content)  # the reason is shown, as text
    _assert_inert(content)


def test_a_hostile_command_argument_gets_an_inert_usage_card(env: FixEnv) -> None:
    env.say(f"/diagnose {HOSTILE}", chat="oc_hostile_args")
    message = env.wait_message(lambda m: True, chat="oc_hostile_args")
    _assert_inert(message.content)


def test_a_hostile_unknown_command_gets_an_inert_card(env: FixEnv) -> None:
    env.say(f"/nosuchcommand {HOSTILE}", chat="oc_hostile_unknown")
    message = env.wait_message(lambda m: True, chat="oc_hostile_unknown")
    _assert_inert(message.content)
