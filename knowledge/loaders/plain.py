"""Plain text: the whole file is one block; the first short line may be the title."""

from __future__ import annotations

from knowledge.documents import Block

__all__ = ["parse_plain"]


def parse_plain(text: str, fallback_title: str) -> tuple[str, list[Block]]:
    body = text.strip()
    return fallback_title, [Block((), body)] if body else []
