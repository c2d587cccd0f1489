"""A card about one cluster: its name as a tag in the header, and in every button's value
so that a click acts on the cluster the card showed (``Messenger.cluster``)."""

from __future__ import annotations

import copy
from typing import Any

from bot.cards.card import Card
from bot.cards.elements import plain

__all__ = ["CLUSTER_KEY", "about_cluster", "cluster_of"]

CLUSTER_KEY = "cluster"  # the button-value key the router reads
MAX_HEADER_TAGS = 3  # Feishu shows at most three tags in a header


def _tag(name: str) -> dict[str, Any]:
    return {"tag": "text_tag", "text": plain(name), "color": "neutral"}


def _stamp(node: Any, name: str) -> None:
    if isinstance(node, dict):
        for behavior in node.get("behaviors") or ():
            if isinstance(behavior, dict) and behavior.get("type") == "callback":
                value = behavior.setdefault("value", {})
                if isinstance(value, dict):
                    value.setdefault(CLUSTER_KEY, name)
        for child in node.values():
            _stamp(child, name)
    elif isinstance(node, list):
        for child in node:
            _stamp(child, name)


def about_cluster(card: Card, name: str) -> Card:
    """A copy of ``card`` that names cluster ``name``: a header tag (once; a card that
    already carries it is unchanged) and ``cluster`` in every callback value that does
    not name one yet."""
    out = copy.deepcopy(card)
    header = out.get("header")
    if isinstance(header, dict):
        tags = header.setdefault("text_tag_list", [])
        if not any(t.get("text", {}).get("content") == name for t in tags):
            tags.insert(0, _tag(name))
            del tags[MAX_HEADER_TAGS:]
    _stamp(out.get("body"), name)
    return out


def cluster_of(card: Card) -> str | None:
    """The cluster a card names in its buttons (tests, the sandbox), if any."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for behavior in node.get("behaviors") or ():
                value = behavior.get("value") if isinstance(behavior, dict) else None
                if isinstance(value, dict) and CLUSTER_KEY in value:
                    found.append(str(value[CLUSTER_KEY]))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body"))
    return found[0] if found else None
