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

__all__ = ["escape_markdown"]

_LINK = re.compile(r"(?<![\\!])\[([^\[\]\n]*)\]\(\s*<?([^)\s>]*)")
_AT_ALL = re.compile(r"<(\s*at\b)", re.IGNORECASE)


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
        _AT_ALL.sub("<\u200b\\1", chunk) if code else _plain(chunk)
        for code, chunk in code_segments(str(text))
    )
