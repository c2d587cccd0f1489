"""The gallery's sample cards: every builder in bot/cards has one, and Feishu accepts each."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import bot.cards
from bot.cards.validation import card_problems
from messages import LANGUAGES, catalogue
from sandbox.gallery_samples import gallery_cards

# fit_card fits a built card to the limits; validate_card checks one: neither builds one
NOT_BUILDERS = {"bot.cards.fitting.fit_card", "bot.cards.validation.card.validate_card"}


def builders() -> set[str]:
    """Every public ``*_card``/``*_cards`` function defined in a bot.cards module."""
    found = set()
    for info in pkgutil.walk_packages(bot.cards.__path__, "bot.cards."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == info.name
                and not name.startswith("_")
                and (name.endswith("_card") or name.endswith("_cards"))
            ):
                found.add(f"{info.name}.{name}")
    return found - NOT_BUILDERS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_builder_has_a_sample(lang: str) -> None:
    shown = {entry.builder for entry in gallery_cards(lang)}
    assert builders() - shown == set()
    assert shown - builders() == set()  # no entry names a function that is not a builder


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_sample_card_passes_the_validator(lang: str) -> None:
    for entry in gallery_cards(lang):
        assert card_problems(entry.card) == [], (entry.builder, entry.state)


def test_the_two_languages_differ_and_leave_no_catalogue_key() -> None:
    keys = set(catalogue())
    zh, en = (gallery_cards(lang) for lang in LANGUAGES)
    assert [(e.builder, e.state) for e in zh] == [(e.builder, e.state) for e in en]
    for left, right in zip(zh, en, strict=True):
        assert left.card["header"] != right.card["header"], left.builder
    for entry in [*zh, *en]:
        text = str(entry.card)
        assert not [key for key in keys if f"'{key}'" in text or f" {key} " in text], entry.builder
