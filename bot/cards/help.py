"""The help and welcome cards, listing every registered skill with its usage."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.card import Card, card
from bot.cards.elements import Element, markdown
from bot.cards.escape import escape_markdown
from bot.messages import t
from bot.registry import Skill

__all__ = ["help_card", "welcome_card"]


def _skill_lines(skills: Sequence[Skill], lang: str) -> list[Element]:
    lines = [
        f"**/{s.name}** — {escape_markdown(t(s.summary_key, lang), trusted_code=True)}\n"
        f"{escape_markdown(t(s.usage_key, lang), trusted_code=True)}"
        for s in sorted(skills, key=lambda s: s.name)
    ]
    return [markdown("\n\n".join(lines))] if lines else []


def help_card(skills: Sequence[Skill], lang: str, *, problem: str | None = None) -> Card:
    elements: list[Element] = []
    if problem:
        elements.append(markdown(f"**{escape_markdown(problem)}**"))
    elements.append(markdown(t("help.intro", lang)))
    elements.extend(_skill_lines(skills, lang))
    return card(t("help.title", lang), elements, severity="warning" if problem else "info")


def welcome_card(skills: Sequence[Skill], lang: str, *, group: bool) -> Card:
    intro = t("welcome.group" if group else "welcome.p2p", lang)
    return card(t("welcome.title", lang), [markdown(intro), *_skill_lines(skills, lang)])
