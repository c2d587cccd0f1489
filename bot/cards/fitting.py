"""Make any card fit the send budget: shrink what is biggest, else fall back.

``fit_card`` measures the card as sent. Over the byte budget it shrinks the largest leaf
again and again (a chart loses every other point, a table half its rows with a "N more"
line, a markdown block its tail at a line or sentence boundary); over the element budget
it keeps the leading elements and says how many were left out. A card that still breaks
a rule becomes a small fallback card: its header, its first lines and a line saying it
was shortened. Nothing is dropped and nothing invalid is sent.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Literal

from bot.cards.cutting import cut_bytes, cut_lines, utf8_len
from bot.cards.escape import escape_markdown
from bot.cards.validation import card_bytes, card_problems, count_elements
from bot.cards.validation.limits import HEADER_TEMPLATES
from bot.cards.validation.properties import CONTAINERS
from messages import t

__all__ = ["BUDGET_BYTES", "BUDGET_ELEMENTS", "Fitted", "fit_card", "card_kind", "card_lang"]

BUDGET_BYTES = 26 * 1024  # Feishu refuses above 30 KB; leave room for its own overhead
BUDGET_ELEMENTS = 180  # of 200
MIN_CHART_POINTS = 8
MAX_ROUNDS = 60
SMALL_LEAF = 600  # bytes: below this, dropping trailing elements beats shrinking each
FALLBACK_TEXT_BYTES = 1500
_CJK = re.compile(r"[\u3400-\u9fff]")
_TAGS = re.compile(r"<[^<>]*>")
Card = dict[str, Any]


@dataclass(frozen=True)
class Fitted:
    card: Card
    kind: str
    outcome: Literal["fits", "shrunk", "fallback"]
    bytes_before: int
    bytes_after: int
    elements_before: int
    elements_after: int


def card_lang(card: Card) -> str:
    title = str(((card.get("header") or {}).get("title") or {}).get("content", ""))
    return "zh-CN" if _CJK.search(title) else "en-US"


def card_kind(card: Card) -> str:
    """A content-free name for logs: the first button action, else the element tags."""
    for el in _leaves(card.get("body", {}).get("elements", [])):
        for behaviour in el.get("behaviors", []) if el.get("tag") == "button" else []:
            action = (behaviour.get("value") or {}).get("action")
            if isinstance(action, str):
                return action
    tags = [str(el.get("tag")) for el in card.get("body", {}).get("elements", [])[:4]]
    return "+".join(tags) or "empty"


def _leaves(elements: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for el in elements:
        if not isinstance(el, dict):
            continue
        key = CONTAINERS.get(str(el.get("tag")))
        children = el.get(key) if key else None
        if isinstance(children, list) and children:
            found += _leaves(children)
        else:
            found.append(el)
    return found


def _size(node: Any) -> int:
    return card_bytes(node) if isinstance(node, dict) else 0


def _value_lists(spec: dict[str, Any]) -> list[list[Any]]:
    data = spec.get("data")
    sets = data if isinstance(data, list) else [data]
    return [d["values"] for d in sets if isinstance(d, dict) and isinstance(d.get("values"), list)]


def _thin(values: list[Any]) -> bool:
    """Every other point of each series (first and last kept); False when too few."""
    groups: dict[Any, list[int]] = {}
    for i, point in enumerate(values):
        key = point.get("series", point.get("s")) if isinstance(point, dict) else None
        groups.setdefault(key, []).append(i)
    if all(len(idx) <= MIN_CHART_POINTS for idx in groups.values()):
        return False
    keep = set()
    for idx in groups.values():
        keep.update(idx[::2])
        keep.add(idx[-1])
    values[:] = [p for i, p in enumerate(values) if i in keep]
    return True


class _Shrinker:
    def __init__(self, card: Card, lang: str) -> None:
        self.card = card
        self.lang = lang
        self.stuck: set[int] = set()
        self.totals: dict[int, int] = {}  # table id -> rows it had
        self.notes: dict[int, dict[str, Any]] = {}  # table id -> its "N more rows" line
        self.line_totals: dict[int, int] = {}  # markdown id -> lines it had

    def body(self) -> list[Any]:
        elements: list[Any] = self.card.setdefault("body", {}).setdefault("elements", [])
        return elements

    def truncate(self, max_bytes: int, max_elements: int) -> None:
        """Keep the leading elements that fit, ending with a "N more" line (costs are
        measured once per element, so thousands of elements cut in one pass)."""
        body = self.body()
        if self.tail_note in body:
            body.remove(self.tail_note)
        if card_bytes(self.card) <= max_bytes and count_elements(self.card) <= max_elements:
            return
        kept = list(body)
        body.clear()
        self.tail_note["content"] = t("cards.more", self.lang, count=len(self._original))
        body.append(self.tail_note)
        room_bytes = max_bytes - card_bytes(self.card) - 8  # the count may grow a digit
        room_elements = max_elements - count_elements(self.card)
        body.clear()
        for el in kept:
            room_bytes -= card_bytes(el) + 1
            room_elements -= count_elements(el)
            if room_bytes < 0 or room_elements < 0:
                break
            body.append(el)
        if not body and kept:
            body.append(kept[0])  # the fallback check decides if even this is too much
        left_out = len(self._original) - len(body)
        if left_out:
            self.tail_note["content"] = t("cards.more", self.lang, count=left_out)
            body.append(self.tail_note)

    def start(self) -> None:
        self._original = list(self.body())
        self.tail_note = _note("")

    def shrink_largest(self) -> bool:
        leaves = [el for el in _leaves(self.body()) if id(el) not in self.stuck]
        if not leaves or _size(max(leaves, key=_size)) < SMALL_LEAF:
            return False
        largest = max(leaves, key=_size)
        if not self._shrink(largest):
            self.stuck.add(id(largest))
        return True

    def _shrink(self, el: dict[str, Any]) -> bool:
        tag = el.get("tag")
        if tag == "chart" and isinstance(el.get("chart_spec"), dict):
            return any([_thin(values) for values in _value_lists(el["chart_spec"])])
        if tag == "table" and isinstance(el.get("rows"), list) and len(el["rows"]) > 1:
            return self._table(el)
        if tag == "markdown" and isinstance(el.get("content"), str):
            content = el["content"]
            size = utf8_len(content)
            if size < 200:
                return False
            lines = content.split("\n")
            if id(el) in self.line_totals:
                lines = lines[:-1]  # the "N more" line of an earlier round
            if len(lines) > 2:
                total = self.line_totals.setdefault(id(el), len(lines))

                def more(left: int) -> str:
                    return t("cards.more", self.lang, count=total - (len(lines) - left))

                el["content"] = "\n".join(cut_lines(lines, size // 2, more))
            else:
                el["content"] = cut_bytes(content, size // 2)
            return utf8_len(el["content"]) < size
        return False

    def _table(self, table: dict[str, Any]) -> bool:
        rows = table["rows"]
        total = self.totals.setdefault(id(table), len(rows))
        del rows[max(1, len(rows) // 2) :]
        text = t("cards.rows_more", self.lang, count=total - len(rows))
        note = self.notes.get(id(table))
        if note is not None:
            note["content"] = text
            return True
        body = self.body()
        for at, el in enumerate(body):
            if el is table:
                self.notes[id(table)] = _note(text)
                body.insert(at + 1, self.notes[id(table)])
        return True


def _note(text: str) -> dict[str, Any]:
    return {"tag": "markdown", "content": text, "text_size": "notation"}


def _first_lines(card: Card) -> str:
    body = card.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("elements"), list):
        return ""
    texts = [
        str(el.get("content", ""))
        for el in _leaves(card.get("body", {}).get("elements", []))
        if el.get("tag") == "markdown"
    ]
    text = escape_markdown(_TAGS.sub("", "\n".join(texts)))
    return cut_bytes(text, FALLBACK_TEXT_BYTES)


def fallback_card(card: Card, lang: str) -> Card:
    """The header, the first lines and a note: small and valid whatever ``card`` was."""
    header = (
        card.get("header")
        if isinstance(card, dict) and isinstance(card.get("header"), dict)
        else {}
    )
    title = (header or {}).get("title") or {}
    title_text = str(title.get("content") if isinstance(title, dict) else "")[:200]
    template = (header or {}).get("template")
    lines = _first_lines(card)
    built: Card = {
        "schema": "2.0",
        "config": {"update_multi": True, "width_mode": "fill"},
        "header": {
            "title": {
                "tag": "plain_text",
                "content": title_text or t("cards.fallback_title", lang),
            },
            "template": template if template in HEADER_TEMPLATES else "grey",
        },
        "body": {"elements": [_note(t("cards.shortened", lang))]},
    }
    if lines.strip():
        built["body"]["elements"].insert(0, {"tag": "markdown", "content": lines})
    if card_problems(built):
        built["body"]["elements"] = [_note(t("cards.shortened", lang))]
        built["header"]["title"]["content"] = t("cards.fallback_title", lang)
    return built


def _shrink(work: Card, lang: str, max_bytes: int, max_elements: int) -> None:
    shrinker = _Shrinker(work, lang)
    shrinker.start()
    if count_elements(work) > max_elements:
        shrinker.truncate(10**9, max_elements)
    for _ in range(MAX_ROUNDS):
        if card_bytes(work) <= max_bytes or not shrinker.shrink_largest():
            break
    if card_bytes(work) > max_bytes:
        shrinker.truncate(max_bytes, max_elements)


def fit_card(
    card: Card,
    *,
    max_bytes: int = BUDGET_BYTES,
    max_elements: int = BUDGET_ELEMENTS,
    lang: str | None = None,
) -> Fitted:
    """``card`` made valid and within budget (a copy; the original is left alone)."""
    try:
        lang = lang or card_lang(card)
        kind = card_kind(card)
    except (AttributeError, TypeError):  # not shaped like a card: the fallback will say so
        lang, kind = lang or "zh-CN", "malformed"
    work = copy.deepcopy(card)
    if isinstance(work.get("config"), dict) or "config" not in work:
        work.setdefault("config", {}).setdefault("update_multi", True)
    before_bytes, before_elements = card_bytes(card), count_elements(card)
    outcome: Literal["fits", "shrunk", "fallback"] = "fits"
    if card_problems(work, max_bytes=max_bytes, max_elements=max_elements):
        outcome = "shrunk"
        try:
            _shrink(work, lang, max_bytes, max_elements)
            broken = bool(card_problems(work, max_bytes=max_bytes, max_elements=max_elements))
        except (AttributeError, TypeError, ValueError):  # not shaped like a card
            broken = True
        if broken:
            outcome = "fallback"
            work = fallback_card(card, lang)
    return Fitted(
        work,
        kind,
        outcome,
        before_bytes,
        card_bytes(work),
        before_elements,
        count_elements(work),
    )
