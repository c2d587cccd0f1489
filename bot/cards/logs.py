"""The /logs card: the lines that matter first (errors, stack traces, OOM, connection
refused), then the latest lines; repeats folded with a count. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards.card import Card, card
from bot.cards.elements import Element, markdown
from messages import t

__all__ = ["ShownLine", "logs_card"]


@dataclass(frozen=True)
class ShownLine:
    text: str
    count: int
    category: str


def _block(lines: Sequence[ShownLine]) -> str:
    body = "\n".join(
        f"{line.text.replace('```', 'ˋˋˋ')}" + (f"  (×{line.count})" if line.count > 1 else "")
        for line in lines
    )
    return f"```\n{body}\n```"


def logs_card(
    title: str,
    important: Sequence[ShownLine],
    tail: Sequence[ShownLine],
    lang: str,
    *,
    notes: Sequence[str] = (),
    footer: str = "",
) -> Card:
    elements: list[Element] = []
    if important:
        kinds = sorted({t(f"logs.category.{line.category}", lang) for line in important})
        head = t("logs.section.important", lang, kinds=", ".join(kinds))
        elements.append(markdown(f"{head}\n{_block(important)}"))
    if tail:
        elements.append(markdown(f"{t('logs.section.tail', lang)}\n{_block(tail)}"))
    else:
        elements.append(markdown(t("logs.empty", lang)))
    elements += [markdown(note) for note in notes]
    if footer:
        elements.append(markdown(footer, text_size="notation"))
    return card(title, elements, severity="warning" if important else "info")
