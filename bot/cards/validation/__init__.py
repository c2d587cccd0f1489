"""Feishu card JSON 2.0 rules, written from the official component pages.

``card_problems`` lists every rule a card breaks; ``validate_card`` raises on the first.
Limits are measured on the JSON as sent (UTF-8 bytes), elements count every tagged object
(components and their plain_text texts, titles, placeholders...).
"""

from bot.cards.validation.card import (
    CardInvalid,
    card_bytes,
    card_json,
    card_problems,
    count_elements,
    validate_card,
)
from bot.cards.validation.limits import MAX_BYTES, MAX_CHARTS, MAX_DEPTH, MAX_ELEMENTS, MAX_TABLES
from bot.cards.validation.markdown import markdown_problems

__all__ = [
    "CardInvalid",
    "card_bytes",
    "card_json",
    "card_problems",
    "count_elements",
    "validate_card",
    "markdown_problems",
    "MAX_BYTES",
    "MAX_CHARTS",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_TABLES",
]
