"""The help and welcome cards: the registered skills grouped by task, most used first."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.card import Card, card
from bot.cards.elements import Element, markdown
from bot.cards.escape import escape_markdown
from bot.registry import Skill
from messages import t

__all__ = ["HELP_GROUPS", "OTHER", "grouped", "help_card", "welcome_card", "unknown_command_card"]

# Task groups in the order an on-call engineer reaches for them; within a group the
# most used command first. A registered skill named nowhere here lands in ``OTHER``.
HELP_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("investigate", ("rca", "diagnose", "logs")),
    ("fix", ("fix", "audit")),
    ("ask", ("ask", "new", "kb", "research")),
    ("alerts", ("alerts", "oncall", "incident", "silences")),
    ("schedule", ("forecast", "subscribe", "subscriptions", "unsubscribe")),
    ("setup", ("whoami", "setup", "cluster", "help")),
)
OTHER = "other"


def grouped(skills: Sequence[Skill]) -> list[tuple[str, list[Skill]]]:
    """``[(group, skills)]`` in help order; every skill exactly once, empty groups left out."""
    by_name = {s.name: s for s in skills}
    placed: set[str] = set()
    groups: list[tuple[str, list[Skill]]] = []
    for group, names in HELP_GROUPS:
        members = [by_name[n] for n in names if n in by_name and n not in placed]
        placed.update(s.name for s in members)
        if members:
            groups.append((group, members))
    rest = sorted((s for s in skills if s.name not in placed), key=lambda s: s.name)
    if rest:
        groups.append((OTHER, rest))
    return groups


def _line(skill: Skill, lang: str) -> str:
    summary = escape_markdown(t(skill.summary_key, lang), trusted_code=True)
    usage = escape_markdown(t(skill.usage_key, lang), trusted_code=True)
    return f"**/{skill.name}** — {summary}\n{usage}"


def _skill_lines(skills: Sequence[Skill], lang: str) -> list[Element]:
    return [
        markdown(
            f"**{t(f'help.group.{group}', lang)}**\n\n"
            + "\n\n".join(_line(s, lang) for s in members)
        )
        for group, members in grouped(skills)
    ]


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


def unknown_command_card(command: str, suggestion: Skill | None, lang: str) -> Card:
    """A near miss: "did you mean /rca?" with that command's usage; a far miss: a pointer
    to /help (never the whole command list)."""
    problem = escape_markdown(t("usage.unknown_command", lang, command=command))
    elements: list[Element] = [markdown(f"**{problem}**")]
    if suggestion is not None:
        elements.append(markdown(t("help.did_you_mean", lang, command=suggestion.name)))
        elements.append(markdown(_line(suggestion, lang)))
    else:
        elements.append(markdown(t("usage.see_help", lang)))
    return card(t("card.usage.title", lang), elements, severity="warning")
