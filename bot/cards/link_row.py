"""A row of link buttons (Grafana, Prometheus, Alertmanager's silence page) for a card."""

from __future__ import annotations

from collections.abc import Mapping

from bot.cards.elements import Element, actions, link_button
from bot.cards.links import web_url
from messages import t

__all__ = ["LINK_KINDS", "link_row"]

LINK_KINDS = ("grafana", "prometheus", "silence")  # in the order the row shows them


def link_row(links: Mapping[str, str], lang: str) -> Element | None:
    """One button per known kind with an http(s) URL; ``None`` when none is left."""
    buttons = [
        link_button(t(f"links.{kind}", lang), url)
        for kind in LINK_KINDS
        if (url := web_url(links.get(kind)))
    ]
    return actions(buttons) if buttons else None
