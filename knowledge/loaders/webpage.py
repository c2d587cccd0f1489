"""HTML via BeautifulSoup: headings h1–h6 build the section path, scripts are dropped."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from knowledge.documents import Block

__all__ = ["parse_html"]

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TEXT = ("p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "figcaption")


def parse_html(text: str, fallback_title: str) -> tuple[str, list[Block]]:
    soup = BeautifulSoup(text, "html.parser")
    for junk in soup(["script", "style", "noscript", "template", "nav"]):
        junk.decompose()
    head_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    title = head_title
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    wanted = set(_HEADINGS) | set(_TEXT)
    for element in soup.find_all(list(wanted)):
        if not isinstance(element, Tag) or element.find_parent(list(_TEXT)) is not None:
            continue
        content = element.get_text(" ", strip=True)
        if not content:
            continue
        if element.name in _HEADINGS:
            level = int(element.name[1])
            if level == 1 and (not title or content == title):
                title = title or content
                stack.clear()
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, content))
        else:
            blocks.append(Block(tuple(name for _, name in stack), content))
    return title or fallback_title, _merge(blocks)


def _merge(blocks: list[Block]) -> list[Block]:
    """Join consecutive paragraphs under the same headings into one block."""
    merged: list[Block] = []
    for block in blocks:
        if merged and merged[-1].headings == block.headings:
            merged[-1] = Block(block.headings, merged[-1].text + "\n\n" + block.text)
        else:
            merged.append(block)
    return merged
