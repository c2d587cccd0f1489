"""Make outside text inert in card markdown: the one escaping function every builder uses.

User, model, alert and event text may contain ``<at id=all></at>``, ``<script>``, or a
``[link](javascript:...)``. Outside code, ``<`` and ``>`` become character references (shown
as typed, never parsed as tags) and a link whose target is not http(s) loses its link
syntax (its text stays visible). Inside code spans and fenced blocks CommonMark shows
text literally, so it is left alone; only a mention of everyone is broken up there too.
"""

from __future__ import annotations

import re

from bot.cards.validation.markdown import code_segments

__all__ = ["escape_markdown", "code_span"]

_LINK = re.compile(r"(?<![\\!])\[([^\[\]\n]*)\]\(\s*<?([^)\s>]*)")
_AT_ALL = re.compile(r"<(\s*at\b)", re.IGNORECASE)
_BROKEN_AT = "<\u200b\\1"  # a zero-width space keeps a mention inert even in code


def _plain(chunk: str) -> str:
    chunk = chunk.replace("<", "&#60;").replace(">", "&#62;")

    def unlink(match: re.Match[str]) -> str:
        target = match.group(2).lower()
        if target.startswith(("https://", "http://")):
            return match.group(0)
        return "\\" + match.group(0)

    return _LINK.sub(unlink, chunk)


def escape_markdown(text: str) -> str:
    """``text`` as it should appear in a markdown component, with no tags or unsafe links."""
    return "".join(
        _AT_ALL.sub(_BROKEN_AT, chunk) if code else _plain(chunk)
        for code, chunk in code_segments(str(text))
    )


def code_span(text: str) -> str:
    """``text`` as inline code, shown literally: the fence is longer than any run of
    backticks inside (CommonMark), and a line break becomes a space."""
    flat = " ".join(str(text).split("\n"))
    runs = [len(r) for r in re.findall(r"`+", flat)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    inert = _AT_ALL.sub(_BROKEN_AT, flat)
    return f"{fence}{pad}{inert}{pad}{fence}"
