"""A question asked in a thread (话题) gets the thread's context: the message that opened
it (an alert card, an RCA card) is read back from Feishu and handed to the assistant as
the conversation's first turn, so "why?" under an alert searches for that alert.

The root message's words are data, never instructions: they enter retrieval as query
terms and the model's history as a quoted user turn, like any other question.
"""

from __future__ import annotations

from typing import Any

import structlog

from skills.conversation_memory import Turn

__all__ = ["MAX_CONTEXT_CHARS", "card_words", "thread_turns"]

log = structlog.get_logger(__name__)
MAX_CONTEXT_CHARS = 1500
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


async def thread_turns(ctx: Any) -> list[Turn]:
    """The thread's opening message as a turn, when the question was asked in a thread
    below another message; else none. A message Feishu cannot return adds nothing."""
    message = ctx.message
    root = message.root_id if message is not None else ""
    if not root or root == message.message_id:
        return []
    try:
        found = await ctx.services.messenger.message_content(root)
    except Exception as exc:  # noqa: BLE001 - context is a help, never a reason to fail
        log.info("thread_root_unavailable", error=type(exc).__name__)
        return []
    if found is None:
        return []
    headline, text = _words(*found)
    if not (headline or text):
        return []
    quoted = f"{headline}\n{text}".strip()[:MAX_CONTEXT_CHARS]
    return [{"role": "user", "text": quoted, "query": headline or text[:200]}]
