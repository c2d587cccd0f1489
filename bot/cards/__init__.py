"""Card JSON 2.0 builders: pure functions from data to card dicts."""

from bot.cards.card import Card, card
from bot.cards.schema import CardInvalid, validate_card

__all__ = ["Card", "card", "validate_card", "CardInvalid"]
