"""The card of a read over several clusters (``--clusters all``): a section per cluster,
in the order asked: its one-line summary, at most ``MAX_LINES`` lines (worst first) and
their buttons; a cluster that gave no answer is one line saying why.

Pure: the skill words every line (findings, alerts, the cause of a failure) first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards.card import Card, Severity, card
from bot.cards.elements import Element, actions, divider, markdown
from messages import t

__all__ = ["ClusterSection", "fanout_card", "MAX_LINES"]

MAX_LINES = 5  # per cluster: the rest is one "and N more" line naming the command
RANK: dict[str, int] = {"critical": 4, "error": 3, "warning": 2, "info": 1, "ok": 0}


@dataclass(frozen=True)
class ClusterSection:
    cluster: str
    summary: str  # what it found, or why it gave no answer
    lines: Sequence[str] = ()  # worded, worst first
    buttons: Sequence[Element] = ()  # one per line (same order), optional
    severity: Severity = "ok"
    answered: bool = True
    more_command: str = ""  # the command that shows all of this cluster's lines


def _section(section: ClusterSection, lang: str) -> list[Element]:
    if not section.answered:
        text = f"**{section.cluster}** · <font color='grey'>⚠️ {section.summary}</font>"
        return [markdown(text)]
    head = f"**{section.cluster}** · {section.summary}"
    shown = list(section.lines[:MAX_LINES])
    hidden = len(section.lines) - len(shown)
    body = [head, *shown]
    if hidden > 0:
        body.append(t("fanout.more", lang, count=hidden, command=section.more_command))
    elements: list[Element] = [markdown("\n".join(body))]
    if section.buttons:
        elements.append(actions(list(section.buttons[:MAX_LINES])))
    return elements


def fanout_card(
    title: str,
    sections: Sequence[ClusterSection],
    lang: str,
    *,
    notes: Sequence[str] = (),
    footer: str = "",
    subtitle: str | None = None,
) -> Card:
    elements: list[Element] = []
    for index, section in enumerate(sections):
        if index:
            elements.append(divider())
        elements += _section(section, lang)
    elements += [markdown(note) for note in notes]
    if footer:
        elements.append(markdown(footer, text_size="notation"))
    severities: list[Severity] = [s.severity if s.answered else "warning" for s in sections]
    worst: Severity = max(severities, key=lambda s: RANK.get(s, 0), default="ok")
    return card(title, elements, severity=worst, subtitle=subtitle)
