"""Pure builders for Feishu card JSON 2.0 elements (only documented properties)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

__all__ = [
    "Element",
    "markdown",
    "divider",
    "button",
    "link_button",
    "actions",
    "table",
    "chart",
    "columns",
    "panel",
    "plain",
]

Element = dict[str, Any]
ButtonType = Literal["default", "primary", "danger", "primary_filled", "danger_filled", "laser"]


MAX_BUTTON_TEXT = 100  # characters Feishu allows on a button


def plain(text: str) -> dict[str, str]:
    return {"tag": "plain_text", "content": text}


def markdown(content: str, *, text_size: str | None = None) -> Element:
    element: Element = {"tag": "markdown", "content": content}
    if text_size:
        element["text_size"] = text_size
    return element


def divider() -> Element:
    return {"tag": "hr"}


def button(
    text: str,
    value: Mapping[str, Any],
    *,
    kind: ButtonType = "default",
    confirm: tuple[str, str] | None = None,
) -> Element:
    """A button whose click sends ``value`` back in a ``card.action.trigger`` callback."""
    element: Element = {
        "tag": "button",
        "text": plain(text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"),
        "type": kind,
        "behaviors": [{"type": "callback", "value": dict(value)}],
    }
    if confirm:
        element["confirm"] = {"title": plain(confirm[0]), "text": plain(confirm[1])}
    return element


def link_button(text: str, url: str) -> Element:
    """A button that opens ``url`` (an http(s) address) in the browser; no callback."""
    return {
        "tag": "button",
        "text": plain(text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"),
        "type": "default",
        "behaviors": [{"type": "open_url", "default_url": url}],
    }


def columns(items: Sequence[Element], *, weights: Sequence[int] | None = None) -> Element:
    cols = []
    for i, item in enumerate(items):
        col: Element = {"tag": "column", "width": "weighted", "elements": [item]}
        col["weight"] = weights[i] if weights else 1
        cols.append(col)
    return {"tag": "column_set", "flex_mode": "flow", "columns": cols}


def actions(buttons: Sequence[Element]) -> Element:
    """A row of buttons (JSON 2.0 has no action block: a column set of auto columns)."""
    return {
        "tag": "column_set",
        "flex_mode": "flow",
        "columns": [{"tag": "column", "width": "auto", "elements": [b]} for b in buttons],
    }


def table(
    columns_spec: Sequence[tuple[str, str, str]],
    rows: Sequence[Mapping[str, Any]],
    *,
    page_size: int = 5,
) -> Element:
    """``columns_spec`` = (name, display_name, data_type) triples."""
    return {
        "tag": "table",
        "page_size": max(1, min(10, page_size)),
        "row_height": "low",
        "header_style": {"bold": True, "background_style": "grey"},
        "columns": [{"name": n, "display_name": d, "data_type": t} for n, d, t in columns_spec],
        "rows": [dict(r) for r in rows],
    }


def chart(spec: Mapping[str, Any], *, aspect_ratio: str = "16:9") -> Element:
    return {
        "tag": "chart",
        "aspect_ratio": aspect_ratio,
        "color_theme": "brand",
        "height": "auto",
        "preview": True,
        "chart_spec": dict(spec),
    }


def panel(title: str, elements: Sequence[Element], *, expanded: bool = False) -> Element:
    return {
        "tag": "collapsible_panel",
        "expanded": expanded,
        "header": {"title": {"tag": "markdown", "content": title}},
        "elements": list(elements),
    }
