"""The card envelope: schema 2.0, shared and updatable, header colour by severity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from bot.cards.elements import Element, plain

__all__ = ["Card", "card", "SEVERITY_COLOURS", "Severity"]

Card = dict[str, Any]
Severity = Literal["critical", "error", "warning", "info", "ok", "working", "neutral"]
SEVERITY_COLOURS: dict[str, str] = {
    "critical": "red",
    "error": "carmine",
    "warning": "orange",
    "info": "blue",
    "ok": "green",
    "working": "wathet",
    "neutral": "grey",
}


def card(
    title: str,
    elements: Sequence[Element],
    *,
    severity: Severity = "info",
    subtitle: str | None = None,
) -> Card:
    header: dict[str, Any] = {"title": plain(title), "template": SEVERITY_COLOURS[severity]}
    if subtitle:
        header["subtitle"] = plain(subtitle)
    return {
        "schema": "2.0",
        "config": {"update_multi": True, "width_mode": "fill"},
        "header": header,
        "body": {"elements": list(elements)},
    }
