"""The /oncall card: each team's current and next person, and the active changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.cards.card import Card, card
from bot.cards.elements import Element, markdown
from messages import t

__all__ = ["TeamRow", "ChangeRow", "oncall_card"]


class TeamRow(Protocol):
    @property
    def team(self) -> str: ...

    @property
    def current(self) -> str: ...

    @property
    def next(self) -> str: ...

    @property
    def handover(self) -> datetime: ...


@dataclass(frozen=True)
class ChangeRow:
    team: str
    kind: str  # "override" | "swap"
    people: tuple[str, ...]
    ends: datetime
    created_by: str


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def oncall_card(
    teams: Sequence[TeamRow], changes: Sequence[ChangeRow], lang: str, timezone: str
) -> Card:
    tz = ZoneInfo(timezone)
    if not teams:
        return card(t("oncall.title", lang), [markdown(t("oncall.none", lang))], severity="neutral")
    lines = [
        t(
            "oncall.line",
            lang,
            team=row.team,
            now=row.current,
            next=row.next,
            handover=_when(row.handover, tz),
        )
        for row in teams
    ]
    elements: list[Element] = [markdown("\n".join(lines))]
    notes = []
    for change in changes:
        by = f"<at id={change.created_by}></at>"
        until = _when(change.ends, tz)
        if change.kind == "swap" and len(change.people) == 2:
            a, b = change.people
            notes.append(
                t("oncall.change.swap", lang, team=change.team, a=a, b=b, until=until, by=by)
            )
        elif change.people:
            who = change.people[0]
            notes.append(
                t("oncall.change.override", lang, team=change.team, who=who, until=until, by=by)
            )
    if notes:
        elements.append(markdown("\n".join(notes), text_size="notation"))
    return card(t("oncall.title", lang), elements, severity="info", subtitle=timezone)
