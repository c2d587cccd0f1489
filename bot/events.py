"""The bot's own request types, and pure converters from Feishu event payloads.

The core never sees SDK model objects: transports hand raw dicts to these converters.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "IncomingMessage",
    "CardAction",
    "ChatEvent",
    "parse_message",
    "parse_card_action",
    "parse_chat_event",
    "to_payload",
    "message_from_payload",
    "action_from_payload",
]

MENTION = re.compile(r"@_user_\d+")


@dataclass(frozen=True)
class IncomingMessage:
    event_id: str
    message_id: str
    chat_id: str
    chat_type: str  # p2p | group
    sender_open_id: str
    sender_type: str
    message_type: str
    text: str  # mention placeholders removed
    mentioned_open_ids: tuple[str, ...] = ()
    parent_id: str = ""
    root_id: str = ""
    thread_id: str = ""
    content: dict[str, Any] = field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        return f"msg:{self.message_id or self.event_id}"


@dataclass(frozen=True)
class CardAction:
    event_id: str
    operator_open_id: str
    chat_id: str
    message_id: str
    value: dict[str, Any]
    form_value: dict[str, Any] = field(default_factory=dict)
    token: str = ""

    @property
    def name(self) -> str:
        return str(self.value.get("action", ""))

    @property
    def dedupe_key(self) -> str:
        return f"card:{self.event_id}"


@dataclass(frozen=True)
class ChatEvent:
    """Welcome hooks and bot menu clicks."""

    event_id: str
    kind: str  # p2p_entered | bot_added | menu
    chat_id: str
    open_id: str
    event_key: str = ""

    @property
    def dedupe_key(self) -> str:
        return f"evt:{self.event_id}"


def _text_of(message_type: str, content: dict[str, Any]) -> str:
    if message_type == "text":
        return str(content.get("text", ""))
    if message_type == "post":
        parts: list[str] = []
        body: Any = content.get("content") or next(
            (v.get("content") for v in content.values() if isinstance(v, dict)), []
        )
        for line in body or []:
            parts.append("".join(str(seg.get("text", "")) for seg in line if isinstance(seg, dict)))
        return "\n".join(parts)
    return ""


def parse_message(envelope: dict[str, Any]) -> IncomingMessage:
    header = envelope.get("header") or {}
    event = envelope.get("event") or {}
    message = event.get("message") or {}
    sender = event.get("sender") or {}
    try:
        content = json.loads(message.get("content") or "{}")
    except json.JSONDecodeError:
        content = {}
    if not isinstance(content, dict):
        content = {}
    message_type = str(message.get("message_type", ""))
    text = MENTION.sub("", _text_of(message_type, content))
    mentions = tuple(
        str((m.get("id") or {}).get("open_id", "")) for m in message.get("mentions") or []
    )
    return IncomingMessage(
        event_id=str(header.get("event_id", "")),
        message_id=str(message.get("message_id", "")),
        chat_id=str(message.get("chat_id", "")),
        chat_type=str(message.get("chat_type", "")),
        sender_open_id=str((sender.get("sender_id") or {}).get("open_id", "")),
        sender_type=str(sender.get("sender_type", "user")),
        message_type=message_type,
        text=" ".join(text.split()),
        mentioned_open_ids=mentions,
        parent_id=str(message.get("parent_id") or ""),
        root_id=str(message.get("root_id") or ""),
        thread_id=str(message.get("thread_id") or ""),
        content=content,
    )


def parse_card_action(envelope: dict[str, Any]) -> CardAction:
    header = envelope.get("header") or {}
    event = envelope.get("event") or {}
    action = event.get("action") or {}
    context = event.get("context") or {}
    value = action.get("value")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = {"action": value}
    return CardAction(
        event_id=str(header.get("event_id", "")),
        operator_open_id=str((event.get("operator") or {}).get("open_id", "")),
        chat_id=str(context.get("open_chat_id", "")),
        message_id=str(context.get("open_message_id", "")),
        value=value if isinstance(value, dict) else {},
        form_value=action.get("form_value") or {},
        token=str(event.get("token", "")),
    )


def parse_chat_event(envelope: dict[str, Any]) -> ChatEvent:
    header = envelope.get("header") or {}
    event = envelope.get("event") or {}
    event_type = str(header.get("event_type", ""))
    if event_type == "application.bot.menu_v6":
        operator = (event.get("operator") or {}).get("operator_id") or {}
        return ChatEvent(
            event_id=str(header.get("event_id", "")),
            kind="menu",
            chat_id="",
            open_id=str(operator.get("open_id", "")),
            event_key=str(event.get("event_key", "")),
        )
    kind = "bot_added" if event_type == "im.chat.member.bot.added_v1" else "p2p_entered"
    return ChatEvent(
        event_id=str(header.get("event_id", "")),
        kind=kind,
        chat_id=str(event.get("chat_id", "")),
        open_id=str((event.get("operator_id") or {}).get("open_id", "")),
    )


def to_payload(delivery: IncomingMessage | CardAction) -> str:
    """JSON of a delivery, to answer it again after a crash (``bot.resumption``)."""
    return json.dumps(asdict(delivery), ensure_ascii=False)


def message_from_payload(payload: str) -> IncomingMessage:
    data = json.loads(payload)
    data["mentioned_open_ids"] = tuple(data.get("mentioned_open_ids") or ())
    return IncomingMessage(**data)


def action_from_payload(payload: str) -> CardAction:
    return CardAction(**json.loads(payload))
