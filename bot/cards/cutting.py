"""Cutting text to a UTF-8 byte budget without breaking a sentence, a line or a character."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence

__all__ = ["utf8_len", "cut_bytes", "cut_lines", "rows_within"]

ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"[。！？；.!?;](?=\s|$)|[。！？；]")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _close_fences(text: str) -> str:
    return text + "\n```" if text.count("```") % 2 else text


def cut_bytes(text: str, limit: int, *, suffix: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes: at the last line end, else the last
    sentence end, else the last space in the second half of what fits; ``suffix`` marks
    the cut. A code fence left open is closed."""
    if utf8_len(text) <= limit:
        return text
    room = max(0, limit - utf8_len(suffix) - 4)  # 4: a closing fence
    head = text.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    half = len(head) // 2
    cut = head.rfind("\n")
    if cut < half:
        ends = [m.end() for m in _SENTENCE_END.finditer(head)]
        cut = ends[-1] if ends and ends[-1] >= half else -1
    if cut < half:
        cut = head.rfind(" ")
    if cut < half:
        cut = len(head)
    return _close_fences(head[:cut].rstrip() + suffix)


def cut_lines(lines: Sequence[str], limit: int, more: Callable[[int], str]) -> list[str]:
    """As many whole lines as fit in ``limit`` bytes (joined by newlines), then a line from
    ``more(n)`` naming the ``n`` lines left out."""
    if utf8_len("\n".join(lines)) <= limit:
        return list(lines)
    kept: list[str] = []
    used = 0
    for line in lines:
        reserve = utf8_len(more(len(lines) - len(kept))) + 1
        if used + utf8_len(line) + 1 + reserve > limit:
            break
        kept.append(line)
        used += utf8_len(line) + 1
    return [*kept, more(len(lines) - len(kept))]


def rows_within(rows: Sequence[Mapping[str, object]], limit: int) -> list[dict[str, object]]:
    """The leading table rows whose JSON fits in ``limit`` bytes (at least one)."""
    kept: list[dict[str, object]] = []
    used = 0
    for row in rows:
        used += utf8_len(json.dumps(row, ensure_ascii=False, separators=(",", ":"))) + 1
        if kept and used > limit:
            break
        kept.append(dict(row))
    return kept
