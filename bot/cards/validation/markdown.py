"""Rules for the content of a markdown component.

Only the documented HTML-like tags render (br, hr, person, local_datetime, at, a, text_tag,
raw, link, font, number_tag); any other ``<word>`` is dropped by the client, so it means
unescaped user or model text. Links must be http(s). ``<at id=all>`` fails the send in
groups that forbid mentioning everyone, so the bot never sends it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.cards.validation.limits import MARKDOWN_TAGS

__all__ = ["markdown_problems", "is_web_url", "code_segments"]

_CODE = re.compile(r"(?ms)^```.*?(?:^```|\Z)|(`+)(?:(?!\1).)+?\1")

_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w-]*)[^<>]*>")
_AT_ALL = re.compile(r"<\s*at\b[^<>]*\bids?\s*=\s*['\"]?all\b", re.IGNORECASE)
# [text](target), not an image ![alt](key) and not an escaped \[
_LINK = re.compile(r"(?<![\\!])\[[^\[\]\n]*\]\(\s*<?([^)\s>]*)")
_ATTR_URL = re.compile(r"\b(?:href|url|pc_url|ios_url|android_url)\s*=\s*['\"]?([^'\"\s>]*)")


def code_segments(text: str) -> Iterator[tuple[bool, str]]:
    """``text`` split into (is_code, chunk) pieces in order: code spans and fenced blocks
    show their text literally (CommonMark), so tags there are not tags."""
    pos = 0
    for match in _CODE.finditer(text):
        if match.start() > pos:
            yield False, text[pos : match.start()]
        yield True, match.group(0)
        pos = match.end()
    if pos < len(text):
        yield False, text[pos:]


def is_web_url(url: str) -> bool:
    return url.lower().startswith(("https://", "http://")) and len(url) > len("https://")


def markdown_problems(content: object) -> list[str]:
    if not isinstance(content, str):
        return ["markdown content must be a string"]
    problems = []
    prose = "".join(chunk for code, chunk in code_segments(content) if not code)
    for match in _TAG.finditer(prose):
        name = match.group(1).lower()
        if name not in MARKDOWN_TAGS:
            problems.append(f"markdown tag <{name}> is not supported (escape < and >)")
            continue
        for url in _ATTR_URL.findall(match.group(0)):
            if url and not is_web_url(url):
                problems.append(f"markdown tag link {url[:40]!r} is not http(s)")
    if _AT_ALL.search(content):
        problems.append("markdown mentions everyone (<at id=all>)")
    for match in _LINK.finditer(prose):
        if not is_web_url(match.group(1)):
            problems.append(f"markdown link target {match.group(1)[:40]!r} is not http(s)")
    return problems
