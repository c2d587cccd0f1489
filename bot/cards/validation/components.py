"""Rules for one component: its properties, enumerations and ranges."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.cards.validation.limits import (
    ASPECT_RATIOS,
    BUTTON_SIZES,
    BUTTON_TYPES,
    BUTTON_WIDTHS,
    COLOR_THEMES,
    COLUMN_WIDTHS,
    FLEX_MODES,
    FORM_ACTIONS,
    MAX_BUTTON_TEXT,
    MAX_PLACEHOLDER,
    MAX_TABLE_COLUMNS,
    ROW_HEIGHTS,
    TABLE_DATA_TYPES,
    TEXT_TAGS,
)
from bot.cards.validation.markdown import is_web_url, markdown_problems
from bot.cards.validation.properties import PROPERTIES

__all__ = ["component_problems", "text_problems"]

_PX = re.compile(r"^(\d+)px$")
_FUNCTION = re.compile(r"^\s*function\b|=>")


def _px(value: object, low: int, high: int | None = None) -> bool:
    match = _PX.match(value) if isinstance(value, str) else None
    if match is None:
        return False
    pixels = int(match.group(1))
    return pixels >= low and (high is None or pixels <= high)


def text_problems(
    text: object, where: str, *, tags: frozenset[str] = TEXT_TAGS, limit: int | None = None
) -> list[str]:
    """A text object such as ``{"tag": "plain_text", "content": "..."}``."""
    if not isinstance(text, dict):
        return [f"{where} must be a text object"]
    problems = []
    if text.get("tag") not in tags:
        problems.append(f"{where} tag {text.get('tag')!r} (expected {'/'.join(sorted(tags))})")
    content = text.get("content")
    if not isinstance(content, str):
        problems.append(f"{where} content must be a string")
    elif limit is not None and len(content) > limit:
        problems.append(f"{where} is {len(content)} characters (limit {limit})")
    if text.get("tag") == "lark_md" and isinstance(content, str):
        problems += markdown_problems(content)
    return problems


def _markdown(el: dict[str, Any]) -> list[str]:
    if "content" not in el:
        return ["markdown needs content"]
    return markdown_problems(el["content"])


def _button(el: dict[str, Any]) -> list[str]:
    problems = []
    if el.get("type", "default") not in BUTTON_TYPES:
        problems.append(f"button type {el.get('type')!r}")
    if el.get("size", "medium") not in BUTTON_SIZES:
        problems.append(f"button size {el.get('size')!r}")
    width = el.get("width", "default")
    if width not in BUTTON_WIDTHS and not _px(width, 100):
        problems.append(f"button width {width!r}")
    if "text" in el:
        problems += text_problems(
            el["text"], "button text", tags=frozenset({"plain_text"}), limit=MAX_BUTTON_TEXT
        )
    confirm = el.get("confirm")
    if confirm is not None:
        if not isinstance(confirm, dict) or "title" not in confirm or "text" not in confirm:
            problems.append("button confirm needs a title and a text")
        else:
            plain = frozenset({"plain_text"})
            problems += text_problems(confirm["title"], "confirm title", tags=plain)
            problems += text_problems(confirm["text"], "confirm text", tags=plain)
    behaviors = el.get("behaviors", [])
    if not isinstance(behaviors, list):
        return problems + ["button behaviors must be a list"]
    for behaviour in behaviors:
        kind = behaviour.get("type") if isinstance(behaviour, dict) else None
        if kind == "callback" and not isinstance(behaviour.get("value"), dict):
            problems.append("button callback values must be objects")
        elif kind == "open_url" and not is_web_url(str(behaviour.get("default_url", ""))):
            problems.append("button open_url needs an http(s) default_url")
        elif kind not in {"callback", "open_url"}:
            problems.append(f"button behaviour type {kind!r}")
    if "form_action_type" in el and el["form_action_type"] not in FORM_ACTIONS:
        problems.append(f"button form_action_type {el['form_action_type']!r}")
    return problems


def _column_set(el: dict[str, Any]) -> list[str]:
    problems = []
    if el.get("flex_mode", "none") not in FLEX_MODES:
        problems.append(f"column_set flex_mode {el.get('flex_mode')!r}")
    columns = el.get("columns", [])
    if not isinstance(columns, list) or any(
        not isinstance(c, dict) or c.get("tag") != "column" for c in columns
    ):
        problems.append("column_set columns must all be column objects")
    return problems


def _column(el: dict[str, Any]) -> list[str]:
    problems = []
    width = el.get("width", "auto")
    if width not in COLUMN_WIDTHS and not _px(width, 16, 600):
        problems.append(f"column width {width!r}")
    weight = el.get("weight", 1)
    if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 5:
        problems.append(f"column weight {weight!r} (1-5)")
    return problems


def _table(el: dict[str, Any]) -> list[str]:
    problems = []
    page_size = el.get("page_size", 5)
    if not isinstance(page_size, int) or not 1 <= page_size <= 10:
        problems.append(f"table page_size {page_size!r} (1-10)")
    row_height = el.get("row_height", "low")
    if row_height not in ROW_HEIGHTS and not _px(row_height, 32, 124):
        problems.append(f"table row_height {row_height!r}")
    columns = el.get("columns")
    if not isinstance(columns, list) or not columns:
        return problems + ["table needs columns"]
    if len(columns) > MAX_TABLE_COLUMNS:
        problems.append(f"table has {len(columns)} columns (limit {MAX_TABLE_COLUMNS})")
    names = set()
    for col in columns:
        if not isinstance(col, dict) or not isinstance(col.get("name"), str):
            problems.append("table column needs a name")
            continue
        names.add(col["name"])
        if col.get("data_type", "text") not in TABLE_DATA_TYPES:
            problems.append(f"table column type {col.get('data_type')!r}")
    rows = el.get("rows", [])
    if not isinstance(rows, list):
        return problems + ["table rows must be a list"]
    for row in rows:
        if not isinstance(row, dict):
            problems.append("table rows must be objects")
            continue
        unknown = set(row) - names
        if unknown:
            problems.append(f"table row uses undeclared columns {sorted(unknown)} (error 200915)")
    return problems


def _functions(node: object) -> bool:
    if callable(node):
        return True
    if isinstance(node, str):
        return bool(_FUNCTION.search(node))
    if isinstance(node, dict):
        return any(_functions(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_functions(v) for v in node)
    return False


def _chart(el: dict[str, Any]) -> list[str]:
    problems = []
    if el.get("aspect_ratio", "16:9") not in ASPECT_RATIOS:
        problems.append(f"chart aspect_ratio {el.get('aspect_ratio')!r}")
    if el.get("color_theme", "brand") not in COLOR_THEMES:
        problems.append(f"chart color_theme {el.get('color_theme')!r}")
    height = el.get("height", "auto")
    if height != "auto" and not _px(height, 1, 999):
        problems.append(f"chart height {height!r}")
    spec = el.get("chart_spec")
    if not isinstance(spec, dict):
        problems.append("chart needs a chart_spec object")
    elif _functions(spec):
        problems.append("chart_spec must not contain functions")
    return problems


def _panel(el: dict[str, Any]) -> list[str]:
    header = el.get("header")
    if not isinstance(header, dict) or "title" not in header:
        return ["collapsible_panel needs header.title"]
    return text_problems(header["title"], "panel title", tags=frozenset({"plain_text", "markdown"}))


def _input(el: dict[str, Any]) -> list[str]:
    problems = []
    max_length = el.get("max_length", 1000)
    if not isinstance(max_length, int) or not 1 <= max_length <= 1000:
        problems.append(f"input max_length {max_length!r} (1-1000)")
    if "placeholder" in el:
        problems += text_problems(el["placeholder"], "input placeholder", limit=MAX_PLACEHOLDER)
    if "label" in el:
        problems += text_problems(el["label"], "input label")
    return problems


def _img(el: dict[str, Any]) -> list[str]:
    return [] if isinstance(el.get("img_key"), str) else ["img needs an img_key"]


def _div(el: dict[str, Any]) -> list[str]:
    return text_problems(el.get("text"), "div text")


_RULES: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "markdown": _markdown,
    "button": _button,
    "column_set": _column_set,
    "column": _column,
    "table": _table,
    "chart": _chart,
    "collapsible_panel": _panel,
    "input": _input,
    "img": _img,
    "div": _div,
}


def component_problems(el: dict[str, Any]) -> list[str]:
    """What one component breaks, not looking into its children."""
    tag = el.get("tag")
    if tag not in PROPERTIES:
        return [f"unsupported element tag {tag!r}"]
    problems = []
    extra = set(el) - PROPERTIES[tag]
    if extra:
        problems.append(f"{tag} has undocumented properties {sorted(extra)}")
    rule = _RULES.get(str(tag))
    return problems + (rule(el) if rule else [])
