"""What the web chat shows: the fake platform's messages per chat, with their current
content and version, and the groups the bot created (war rooms), each a chat of its own
(pure functions over the ledger's records)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sandbox.feishu.records import FakeChat, FakeMessage
from sandbox.people import chat_of

__all__ = ["message_view", "messages_since", "rooms_view"]


def message_view(message: FakeMessage, rooms: Collection[str] = ()) -> dict[str, Any] | None:
    """``rooms``: the chat_ids of groups the bot created (the page's chat is the id)."""
    chat = chat_of(message.chat_id) or (message.chat_id if message.chat_id in rooms else None)
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


def messages_since(
    messages: Iterable[FakeMessage], since: int, rooms: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Messages created or patched after ``since`` (a ledger sequence number), in order."""
    views = (message_view(m, rooms) for m in messages if m.seq > since)
    return sorted((v for v in views if v is not None), key=lambda v: int(v["seq"]))


def rooms_view(chats: Iterable[FakeChat]) -> list[dict[str, Any]]:
    """The groups the bot created, oldest first, with their current name."""
    ordered = sorted(chats, key=lambda c: c.chat_id)
    return [{"id": c.chat_id, "name": c.name, "description": c.description} for c in ordered]
