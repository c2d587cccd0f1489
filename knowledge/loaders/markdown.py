"""Markdown: the first ``#`` heading is the title, deeper headings form the section path."""

from __future__ import annotations

import re

from knowledge.documents import Block

__all__ = ["parse_markdown"]

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def parse_markdown(text: str, fallback_title: str) -> tuple[str, list[Block]]:
    """Return ``(title, blocks)``; text inside fenced code blocks is never a heading."""
    title = ""
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        body = "\n".join(lines).strip()
        if body:
            blocks.append(Block(tuple(name for _, name in stack), body))
        lines.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        flush()
        level, name = len(match.group(1)), match.group(2).strip()
        if level == 1 and not title:
            title = name
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, name))
    flush()
    return title or fallback_title, blocks
