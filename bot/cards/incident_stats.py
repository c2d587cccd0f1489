"""The /incident stats card: incidents, MTTA and MTTR per on-call team over a period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards.card import Card, card
from bot.cards.cutting import cut_bytes
from bot.cards.elements import Element, markdown, table
from messages import t

__all__ = ["TeamResponse", "incident_stats_card", "duration_text", "MAX_TEAMS"]

MAX_TEAMS = 50
TEAM_BYTES = 120


@dataclass(frozen=True)
class TeamResponse:
    team: str
    incidents: int
    acknowledged: int
    resolved: int
    mtta_seconds: float | None  # mean over the acknowledged ones
    mttr_seconds: float | None  # mean over the resolved ones


def duration_text(seconds: float | None) -> str:
    """``45s``, ``12m30s``, ``2h05m``, ``3d4h``; ``—`` for none."""
    if seconds is None:
        return "—"
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes}m{rest:02d}s" if rest else f"{minutes}m"
    if whole < 86400:
        hours, rest = divmod(whole // 60, 60)
        return f"{hours}h{rest:02d}m" if rest else f"{hours}h"
    days, rest = divmod(whole // 3600, 24)
    return f"{days}d{rest}h" if rest else f"{days}d"


def _weighted(rows: Sequence[TeamResponse], value: str, count: str) -> float | None:
    pairs = [(getattr(r, value), getattr(r, count)) for r in rows if getattr(r, value) is not None]
    total = sum(n for _, n in pairs)
    return sum(v * n for v, n in pairs) / total if total else None


def incident_stats_card(rows: Sequence[TeamResponse], period: str, lang: str) -> Card:
    title = t("incident_stats.title", lang, period=period)
    if not rows:
        body = markdown(t("incident_stats.none", lang, period=period))
        return card(title, [body], severity="ok")
    shown = [
        {
            "team": cut_bytes(r.team, TEAM_BYTES),
            "incidents": r.incidents,
            "mtta": duration_text(r.mtta_seconds),
            "unclaimed": r.incidents - r.acknowledged,
            "mttr": duration_text(r.mttr_seconds),
            "open": r.incidents - r.resolved,
        }
        for r in rows[:MAX_TEAMS]
    ]
    cols = [
        ("team", t("incident_stats.col.team", lang), "text"),
        ("incidents", t("incident_stats.col.incidents", lang), "number"),
        ("mtta", "MTTA", "text"),
        ("unclaimed", t("incident_stats.col.unclaimed", lang), "number"),
        ("mttr", "MTTR", "text"),
        ("open", t("incident_stats.col.open", lang), "number"),
    ]
    total = t(
        "incident_stats.total",
        lang,
        incidents=sum(r.incidents for r in rows),
        mtta=duration_text(_weighted(rows, "mtta_seconds", "acknowledged")),
        mttr=duration_text(_weighted(rows, "mttr_seconds", "resolved")),
    )
    elements: list[Element] = [markdown(total), table(cols, shown, page_size=10)]
    if len(rows) > MAX_TEAMS:
        more = t("cards.rows_more", lang, count=len(rows) - MAX_TEAMS)
        elements.append(markdown(more, text_size="notation"))
    elements.append(markdown(t("incident_stats.note", lang), text_size="notation"))
    return card(title, elements, severity="info")
