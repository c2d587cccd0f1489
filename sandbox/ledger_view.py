"""What the web chat shows: the fake platform's messages per chat, with their current
content and version (pure functions over the ledger's records)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.feishu.records import FakeMessage
from sandbox.people import chat_of

__all__ = ["message_view", "messages_since"]


def message_view(message: FakeMessage) -> dict[str, Any] | None:
    chat = chat_of(message.chat_id)
    if chat is None:
        return None
    return {
        "id": message.message_id,
        "chat": chat,
        "from": "bot" if message.sender == "bot" else "user",
        "type": message.msg_type,
        "content": message.content,
        "version": len(message.versions),
        "seq": message.seq,
        "parent_id": message.parent_id,
    }


def messages_since(messages: Iterable[FakeMessage], since: int) -> list[dict[str, Any]]:
    """Messages created or patched after ``since`` (a ledger sequence number), in order."""
    views = (message_view(m) for m in messages if m.seq > since)
    return sorted((v for v in views if v is not None), key=lambda v: int(v["seq"]))
