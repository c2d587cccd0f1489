"""A question asked in a thread (话题) gets the thread's context: the message that opened
it (an alert card) and what the bot answered in it since (the RCA, a diagnosis) are read
back from Feishu and handed to the assistant as the conversation's latest turn, so "why?"
under an alert searches for that alert and the model sees its RCA.

The root message's words are data, never instructions: they enter retrieval as query
terms and the model's history as a quoted user turn, like any other question.
"""

from __future__ import annotations

from typing import Any

import structlog

from bot.context import Context
from bot.messenger import ThreadMessage
from skills.conversation_memory import Turn

__all__ = ["MAX_CONTEXT_CHARS", "card_words", "thread_turns"]

log = structlog.get_logger(__name__)
MAX_CONTEXT_CHARS = 2500
THREAD_MESSAGES = 20  # the newest messages of the thread that are read
MAX_ANSWERS = 2  # the bot's latest cards in the thread that join the root
TEXT_TAGS = frozenset({"plain_text", "markdown", "lark_md"})


def card_words(card: dict[str, Any]) -> tuple[str, str]:
    """(headline, text) of a card: the header's title and subtitle, and every text and
    table cell of its body in reading order."""
    header = card.get("header") or {}
    headline = " · ".join(
        str((header.get(key) or {}).get("content", "")).strip()
        for key in ("title", "subtitle")
        if (header.get(key) or {}).get("content")
    )
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("tag") in TEXT_TAGS and isinstance(node.get("content"), str):
                parts.append(node["content"])
            if node.get("tag") == "table":
                for row in node.get("rows") or ():
                    parts.append(" ".join(str(v) for v in row.values()))
            for key, child in node.items():
                if key not in ("behaviors", "rows"):
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body"))
    return headline, "\n".join(p for p in parts if p.strip())


def _words(msg_type: str, content: dict[str, Any]) -> tuple[str, str]:
    if msg_type == "interactive":
        return card_words(content)
    text = str(content.get("text", ""))
    return text[:200], text


async def _thread(ctx: Context, thread_id: str, root: str) -> list[tuple[str, dict[str, Any]]]:
    """(msg type, content) of the thread's root and of the bot's cards in it, oldest
    first; the root alone when the thread cannot be listed."""
    messenger = ctx.services.messenger
    listed: list[ThreadMessage] = []
    if thread_id:
        try:
            listed = await messenger.thread_messages(thread_id, THREAD_MESSAGES)
        except Exception as exc:  # noqa: BLE001 - the root alone, then
            log.info("thread_unavailable", error=type(exc).__name__)
    answers = [
        (m.msg_type, m.content)
        for m in listed
        if m.message_id != root and m.sender_type == "app" and m.msg_type == "interactive"
    ][-MAX_ANSWERS:]
    opening = next(((m.msg_type, m.content) for m in listed if m.message_id == root), None)
    if opening is None:  # a long thread: its root is older than the messages listed
        opening = await messenger.message_content(root)
    return ([opening] if opening is not None else []) + answers


async def thread_turns(ctx: Context) -> list[Turn]:
    """The thread's opening message and the bot's cards in it as a turn, when the
    question was asked in a thread below another message; else none. What Feishu cannot
    return adds nothing."""
    message = ctx.message
    if message is None or not message.root_id or message.root_id == message.message_id:
        return []
    root = message.root_id
    try:
        parts = await _thread(ctx, message.thread_id, root)
    except Exception as exc:  # noqa: BLE001 - context is a help, never a reason to fail
        log.info("thread_root_unavailable", error=type(exc).__name__)
        return []
    words = [_words(kind, content) for kind, content in parts]
    words = [(headline, text) for headline, text in words if headline or text]
    if not words:
        return []
    quoted = "\n\n".join(f"{headline}\n{text}".strip() for headline, text in words)
    query = words[0][0] or words[0][1][:200]
    return [{"role": "user", "text": quoted[:MAX_CONTEXT_CHARS], "query": query}]
