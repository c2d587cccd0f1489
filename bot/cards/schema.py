"""What a JSON 2.0 card may contain: the documented properties we rely on, and limits.

JSON 2.0 rejects unknown properties, so every builder's output is checked against these
lists in the tests (and can be checked at run time before sending).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["validate_card", "CardInvalid", "MAX_BYTES", "MAX_ELEMENTS"]

MAX_BYTES = 30 * 1024
MAX_ELEMENTS = 200
MAX_TABLES = 5
MAX_DEPTH = 5

ALLOWED: dict[str, set[str]] = {
    "markdown": {"tag", "content", "text_size", "text_align", "element_id"},
    "hr": {"tag", "element_id"},
    "button": {
        "tag",
        "text",
        "type",
        "behaviors",
        "confirm",
        "disabled",
        "width",
        "size",
        "element_id",
        "form_action_type",
        "name",
    },
    "column_set": {
        "tag",
        "flex_mode",
        "columns",
        "horizontal_spacing",
        "background_style",
        "element_id",
    },
    "column": {"tag", "width", "weight", "elements", "vertical_align", "element_id"},
    "table": {"tag", "page_size", "row_height", "header_style", "columns", "rows", "element_id"},
    "chart": {
        "tag",
        "aspect_ratio",
        "color_theme",
        "height",
        "preview",
        "chart_spec",
        "element_id",
    },
    "collapsible_panel": {"tag", "expanded", "header", "elements", "border", "element_id"},
    "form": {"tag", "name", "elements", "element_id"},
    "input": {
        "tag",
        "name",
        "placeholder",
        "default_value",
        "required",
        "label",
        "element_id",
        "max_length",
    },
    "img": {"tag", "img_key", "alt", "element_id"},
}
CONTAINERS = {
    "column_set": "columns",
    "column": "elements",
    "collapsible_panel": "elements",
    "form": "elements",
}
HEADER_TEMPLATES = {
    "blue",
    "wathet",
    "turquoise",
    "green",
    "yellow",
    "orange",
    "red",
    "carmine",
    "violet",
    "purple",
    "indigo",
    "grey",
    "default",
}
TABLE_TYPES = {"text", "lark_md", "number", "options", "persons", "date"}


class CardInvalid(ValueError):
    pass


def _walk(element: dict[str, Any], depth: int, counts: dict[str, int], root: bool) -> None:
    tag = element.get("tag")
    if tag not in ALLOWED:
        raise CardInvalid(f"unsupported element tag {tag!r}")
    extra = set(element) - ALLOWED[tag]
    if extra:
        raise CardInvalid(f"{tag} has undocumented properties {sorted(extra)}")
    if depth > MAX_DEPTH:
        raise CardInvalid(f"nesting deeper than {MAX_DEPTH}")
    counts["elements"] += 1
    if tag == "table":
        if not root:
            raise CardInvalid("a table must sit at the body root")
        counts["tables"] += 1
        for col in element.get("columns", []):
            if col.get("data_type") not in TABLE_TYPES:
                raise CardInvalid(f"table column type {col.get('data_type')!r}")
    if tag == "button":
        for behaviour in element.get("behaviors", []):
            if behaviour.get("type") == "callback" and not isinstance(behaviour.get("value"), dict):
                raise CardInvalid("button callback values must be objects")
    child_key = CONTAINERS.get(tag)
    if child_key:
        for child in element.get(child_key, []):
            _walk(child, depth + 1, counts, root=False)


def validate_card(card: dict[str, Any]) -> None:
    """Raise :class:`CardInvalid` when a card breaks the JSON 2.0 rules we rely on."""
    if card.get("schema") != "2.0":
        raise CardInvalid("schema must be 2.0")
    if set(card) - {"schema", "config", "header", "body", "card_link"}:
        raise CardInvalid(f"unknown top-level keys {sorted(set(card) - {'schema'})}")
    header = card.get("header", {})
    if header and header.get("template") not in HEADER_TEMPLATES:
        raise CardInvalid(f"header template {header.get('template')!r}")
    counts = {"elements": 0, "tables": 0}
    for element in card.get("body", {}).get("elements", []):
        _walk(element, 1, counts, root=True)
    if counts["elements"] > MAX_ELEMENTS:
        raise CardInvalid(f"{counts['elements']} elements (limit {MAX_ELEMENTS})")
    if counts["tables"] > MAX_TABLES:
        raise CardInvalid(f"{counts['tables']} tables (limit {MAX_TABLES})")
    size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
    if size > MAX_BYTES:
        raise CardInvalid(f"card is {size} bytes (limit {MAX_BYTES})")
