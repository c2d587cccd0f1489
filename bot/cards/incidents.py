"""Cards of /alerts (firing alerts and their state) and /silences (with Unsilence)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cards.card import Card, card
from bot.cards.elements import Element, actions, button, markdown
from messages import t

__all__ = [
    "AlertRow",
    "SilenceRow",
    "TimelineRow",
    "alert_line",
    "alerts_card",
    "silences_card",
    "timeline_card",
    "MAX_ROWS",
]

MAX_ROWS = 15


@dataclass(frozen=True)
class AlertRow:
    alertname: str
    where: str  # namespace / service
    severity: str
    starts: datetime
    silenced_until: datetime | None = None
    claimed_by: str | None = None


@dataclass(frozen=True)
class SilenceRow:
    id: str
    matchers: str
    ends: datetime
    created_by: str
    comment: str


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def _by(who: str) -> str:
    return f"<at id={who}></at>" if who.startswith("ou_") else who


def alert_line(row: AlertRow, lang: str, tz: ZoneInfo) -> str:
    parts = [
        t(
            "alerts.line",
            lang,
            alertname=row.alertname,
            where=row.where or "—",
            severity=row.severity or "—",
            since=_when(row.starts, tz),
        )
    ]
    if row.silenced_until:
        parts.append(t("alerts.state.silenced", lang, until=_when(row.silenced_until, tz)))
    if row.claimed_by:
        parts.append(t("alerts.state.claimed", lang, who=_by(row.claimed_by)))
    elif not row.silenced_until:
        parts.append(t("alerts.state.unclaimed", lang))
    return " · ".join(parts)


def alerts_card(rows: Sequence[AlertRow], scope: str, lang: str, timezone: str) -> Card:
    tz = ZoneInfo(timezone)
    title = t("alerts.title", lang, count=len(rows))
    if not rows:
        return card(
            title, [markdown(t("alerts.none", lang))], severity="ok", subtitle=scope or None
        )
    lines = [alert_line(row, lang, tz) for row in rows[:MAX_ROWS]]
    elements: list[Element] = [markdown("\n".join(lines))]
    if len(rows) > MAX_ROWS:
        elements.append(markdown(t("alerts.more", lang, count=len(rows) - MAX_ROWS)))
    return card(title, elements, severity="warning", subtitle=scope or None)


def silences_card(rows: Sequence[SilenceRow], lang: str, timezone: str) -> Card:
    tz = ZoneInfo(timezone)
    title = t("silences.title", lang, count=len(rows))
    if not rows:
        return card(title, [markdown(t("silences.none", lang))], severity="neutral")
    elements: list[Element] = []
    for row in rows[:MAX_ROWS]:
        line = t(
            "silences.line",
            lang,
            matchers=row.matchers,
            until=_when(row.ends, tz),
            by=_by(row.created_by),
        )
        elements.append(markdown(line + (f"\n{row.comment[:200]}" if row.comment else "")))
        confirm = (
            t("silences.confirm_title", lang),
            t("silences.confirm", lang, matchers=row.matchers),
        )
        value = {"action": "silence_expire", "silence_id": row.id}
        elements.append(
            actions([button(t("silences.button.expire", lang), value, confirm=confirm)])
        )
    if len(rows) > MAX_ROWS:
        elements.append(markdown(t("alerts.more", lang, count=len(rows) - MAX_ROWS)))
    return card(title, elements, severity="info")


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    kind: str  # fired | claimed | escalated | silenced | resolved
    actor: str
    detail: str


def timeline_card(
    alertname: str, key: str, rows: Sequence[TimelineRow], lang: str, timezone: str
) -> Card:
    tz = ZoneInfo(timezone)
    lines = [
        t(
            "timeline.line",
            lang,
            at=row.at.astimezone(tz).strftime("%m-%d %H:%M:%S"),
            event=t(f"timeline.kind.{row.kind}", lang),
            actor=_by(row.actor),
            detail=row.detail[:300],
        ).rstrip(" ·")
        for row in rows
    ]
    body = markdown("\n".join(lines) or t("timeline.none", lang))
    return card(t("timeline.title", lang, alertname=alertname), [body], subtitle=key)
