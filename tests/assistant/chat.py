"""Reading the bot's replies in the assistant tests: settled cards, their text, buttons."""

from __future__ import annotations

import json
from typing import Any

from bot.cards.schema import validate_card
from tests.conftest import RunningBot


def card_text(message: Any) -> str:
    return json.dumps(message.content, ensure_ascii=False)


def settled(bot: RunningBot, chat_id: str, count: int) -> list[Any]:
    """The bot's first ``count`` messages in ``chat_id`` once none is a "working" card;
    every one is checked against the card schema."""

    def ready() -> list[Any] | None:
        messages = bot.bot_messages(chat_id)
        if len(messages) < count:
            return None
        if any(m.content.get("header", {}).get("template") == "wathet" for m in messages):
            return None
        return messages

    messages: list[Any] = bot.wait_for(ready)
    for message in messages:
        assert message.msg_type == "interactive"
        validate_card(message.content)
    return messages


def buttons(message: Any) -> list[dict[str, Any]]:
    """Every button's callback value in a card."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("tag") == "button":
                found.extend(b["value"] for b in node.get("behaviors", []) if "value" in b)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.content)
    return found
