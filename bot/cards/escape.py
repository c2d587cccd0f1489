"""Make outside text inert in card markdown: the one escaping function every builder uses.

User, model, alert and event text may contain ``<at id=all></at>``, ``<script>``, or a
``[link](javascript:...)``. Outside code, ``<`` and ``>`` become character references (shown
as typed, never parsed as tags) and a link whose target is not http(s) loses its link
syntax (its text stays visible). Inside code spans and fenced blocks CommonMark shows
text literally, so it keeps its characters, with an invisible zero-width space after a
``<`` that starts a tag and inside ``](``.
"""

from __future__ import annotations

import re

from bot.cards.validation.markdown import code_segments

__all__ = ["escape_markdown", "code_span"]

_LINK = re.compile(r"(?<![\\!])\[([^\[\]\n]*)\]\(\s*<?([^)\s>]*)")
# In code a zero-width space after "<" (before a tag name) and between "]" and "(" keeps
# tags and links inert even if a stray backtick elsewhere moves the code boundaries.
_CODE_TAG = re.compile(r"<(?=\s*/?\s*[A-Za-z])")
_CODE_LINK = re.compile(r"\]\(")
_AT_ALL = re.compile(r"<(?=\s*at\b[^<>]*\bids?\s*=\s*['\"]?all\b)", re.IGNORECASE)
_MENTION = re.compile(r"<at id=(?!all\b)[\w-]{1,64}></at>", re.IGNORECASE)
_HELD = "\u2063"  # invisible separator: marks a kept mention while escaping


def _inert_code(chunk: str) -> str:
    return _CODE_LINK.sub("]\u200b(", _CODE_TAG.sub("<\u200b", chunk))


def _plain(chunk: str) -> str:
    chunk = chunk.replace("<", "&#60;").replace(">", "&#62;")

    def unlink(match: re.Match[str]) -> str:
        target = match.group(2).lower()
        if target.startswith(("https://", "http://")):
            return match.group(0)
        return "\\" + match.group(0)

    return _LINK.sub(unlink, chunk)


def escape_markdown(text: str, *, keep_mentions: bool = False, trusted_code: bool = False) -> str:
    """``text`` as it should appear in a markdown component, with no tags or unsafe links.

    ``keep_mentions`` keeps ``<at id=ou_...></at>`` of one person (never everyone): for
    composed texts whose catalogue template mentions the approver or the acknowledger.
    ``trusted_code`` leaves code exactly as written: for catalogue text only (usage lines
    such as ``/rca <service>`` in backticks), never for outside text."""
    text = str(text)
    held: list[str] = []
    if keep_mentions:

        def hold(match: re.Match[str]) -> str:
            held.append(match.group(0))
            return f"{_HELD}{len(held) - 1}{_HELD}"

        text = _MENTION.sub(hold, text.replace(_HELD, ""))
    escaped = "".join(
        (_AT_ALL.sub("<\u200b", chunk) if trusted_code else _inert_code(chunk))
        if code
        else _plain(chunk)
        for code, chunk in code_segments(text)
    )
    for i, mention in enumerate(held):
        escaped = escaped.replace(f"{_HELD}{i}{_HELD}", mention)
    return escaped


def code_span(text: str) -> str:
    """``text`` as inline code, shown literally: the fence is longer than any run of
    backticks inside (CommonMark), and a line break becomes a space."""
    flat = " ".join(str(text).split("\n"))
    runs = [len(r) for r in re.findall(r"`+", flat)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{_inert_code(flat)}{pad}{fence}"
