"""Compatibility face of :mod:`bot.cards.validation` (the rules live there)."""

from bot.cards.validation import (
    MAX_BYTES,
    MAX_ELEMENTS,
    CardInvalid,
    card_bytes,
    card_problems,
    count_elements,
    validate_card,
)

__all__ = [
    "validate_card",
    "card_problems",
    "card_bytes",
    "count_elements",
    "CardInvalid",
    "MAX_BYTES",
    "MAX_ELEMENTS",
]
