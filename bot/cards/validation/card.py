"""Whole-card rules: envelope, header, nesting, counts, size as sent."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from bot.cards.validation.components import component_problems, text_problems
from bot.cards.validation.limits import (
    HEADER_TEMPLATES,
    MAX_BYTES,
    MAX_CHARTS,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_TABLES,
    WIDTH_MODES,
)
from bot.cards.validation.properties import (
    BODY_KEYS,
    CARD_KEYS,
    CONFIG_KEYS,
    CONTAINERS,
    HEADER_KEYS,
)

__all__ = [
    "CardInvalid",
    "card_json",
    "card_bytes",
    "count_elements",
    "card_problems",
    "validate_card",
]

_ELEMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
_NOT_COUNTED = {"chart_spec", "rows"}  # data, not elements


class CardInvalid(ValueError):
    pass


def card_json(card: dict[str, Any]) -> str:
    """The card exactly as the messenger sends it (compact, UTF-8 text)."""
    return json.dumps(card, ensure_ascii=False, separators=(",", ":"))


def card_bytes(card: dict[str, Any]) -> int:
    return len(card_json(card).encode("utf-8"))


def count_elements(node: Any) -> int:
    """Components plus every other tagged object (plain_text titles, button texts,
    confirm texts, placeholders, icons): Feishu counts them all towards 200."""
    if isinstance(node, list):
        return sum(count_elements(item) for item in node)
    if not isinstance(node, dict):
        return 0
    own = 1 if "tag" in node else 0
    return own + sum(count_elements(v) for k, v in node.items() if k not in _NOT_COUNTED)


class _Walk:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.tags: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.ids: Counter[str] = Counter()

    def element(self, el: Any, depth: int, path: str, *, root: bool, in_form: bool) -> None:
        if not isinstance(el, dict):
            self.problems.append(f"{path}: an element must be an object")
            return
        tag = str(el.get("tag"))
        where = f"{path}({tag})"
        self.tags[tag] += 1
        self.problems += [f"{where}: {p}" for p in component_problems(el)]
        if depth > MAX_DEPTH:
            self.problems.append(f"{where}: nesting deeper than {MAX_DEPTH}")
        if tag in {"table", "form"} and not root:
            self.problems.append(f"{where}: a {tag} must sit at the body root")
        if "element_id" in el:
            self.ids[str(el["element_id"])] += 1
            if not _ELEMENT_ID.match(str(el["element_id"])):
                self.problems.append(f"{where}: element_id {el['element_id']!r}")
        if "name" in el and tag != "form":
            self.names[str(el["name"])] += 1
        if in_form and tag in {"button", "input"} and "name" not in el:
            self.problems.append(f"{where}: an interactive element in a form needs a name")
        if tag == "form":
            self.form(el, where)
        child_key = CONTAINERS.get(tag)
        children = el.get(child_key, []) if child_key else []
        if not isinstance(children, list):
            self.problems.append(f"{where}: {child_key} must be a list")
            return
        for i, child in enumerate(children):
            self.element(
                child, depth + 1, f"{where}.{i}", root=False, in_form=in_form or tag == "form"
            )

    def form(self, el: dict[str, Any], where: str) -> None:
        if not isinstance(el.get("name"), str) or not el["name"]:
            self.problems.append(f"{where}: a form needs a name")
        else:
            self.names[el["name"]] += 1
        if not _has_submit(el):
            self.problems.append(f"{where}: a form needs a submit button")


def _has_submit(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_submit(n) for n in node)
    if not isinstance(node, dict):
        return False
    if node.get("tag") == "button" and node.get("form_action_type") == "submit":
        return True
    return any(_has_submit(v) for v in node.values())


def _envelope(card: dict[str, Any]) -> list[str]:
    problems = []
    if card.get("schema") != "2.0":
        problems.append("schema must be 2.0")
    if set(card) - CARD_KEYS:
        problems.append(f"unknown top-level keys {sorted(set(card) - CARD_KEYS)}")
    config = card.get("config", {})
    if not isinstance(config, dict):
        return problems + ["config must be an object"]
    if set(config) - CONFIG_KEYS:
        problems.append(f"unknown config keys {sorted(set(config) - CONFIG_KEYS)}")
    if config.get("update_multi", True) is not True:
        problems.append("config.update_multi must be true in JSON 2.0")
    if config.get("width_mode", "default") not in WIDTH_MODES:
        problems.append(f"config.width_mode {config.get('width_mode')!r}")
    header = card.get("header")
    if header is not None:
        if not isinstance(header, dict) or "title" not in header:
            return problems + ["header.title is required"]
        if set(header) - HEADER_KEYS:
            problems.append(f"unknown header keys {sorted(set(header) - HEADER_KEYS)}")
        problems += text_problems(header["title"], "header title")
        if "subtitle" in header:
            problems += text_problems(header["subtitle"], "header subtitle")
        if header.get("template", "default") not in HEADER_TEMPLATES:
            problems.append(f"header template {header.get('template')!r}")
    body = card.get("body", {})
    if not isinstance(body, dict) or not isinstance(body.get("elements", []), list):
        return problems + ["body.elements must be a list"]
    if set(body) - BODY_KEYS:
        problems.append(f"unknown body keys {sorted(set(body) - BODY_KEYS)}")
    return problems


def card_problems(
    card: dict[str, Any], *, max_bytes: int = MAX_BYTES, max_elements: int = MAX_ELEMENTS
) -> list[str]:
    """Every rule ``card`` breaks (empty when Feishu would accept it)."""
    if not isinstance(card, dict):
        return ["a card must be an object"]
    problems = _envelope(card)
    walk = _Walk()
    body = card.get("body") if isinstance(card.get("body"), dict) else {}
    elements = body.get("elements", []) if isinstance(body, dict) else []
    for i, el in enumerate(elements if isinstance(elements, list) else []):
        walk.element(el, 1, f"body.{i}", root=True, in_form=False)
    problems += walk.problems
    if walk.tags["table"] > MAX_TABLES:
        problems.append(f"{walk.tags['table']} tables (limit {MAX_TABLES})")
    if walk.tags["chart"] > MAX_CHARTS:
        problems.append(f"{walk.tags['chart']} charts (limit {MAX_CHARTS})")
    problems += [f"name {n!r} is used {c} times" for n, c in walk.names.items() if c > 1]
    problems += [f"element_id {n!r} is used {c} times" for n, c in walk.ids.items() if c > 1]
    elements_count = count_elements(card)
    if elements_count > max_elements:
        problems.append(f"{elements_count} elements (limit {max_elements})")
    try:
        size = card_bytes(card)
    except (TypeError, ValueError) as exc:
        return problems + [f"card is not JSON: {exc}"]
    if size > max_bytes:
        problems.append(f"card is {size} bytes (limit {max_bytes})")
    return problems


def validate_card(card: dict[str, Any]) -> None:
    """Raise :class:`CardInvalid` naming every rule the card breaks."""
    problems = card_problems(card)
    if problems:
        raise CardInvalid("; ".join(problems[:10]))
