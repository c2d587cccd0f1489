"""The forecast digest: one card per group and schedule, a section per service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cards.alert import Anomaly
from bot.cards.card import Card, card
from bot.cards.elements import Element, actions, chart, divider, markdown
from bot.cards.forecast import ForecastView, forecast_chart_spec, forecast_summary, scaling_button
from bot.messages import t

__all__ = ["DigestEntry", "digest_card", "MAX_CHARTS"]

MAX_CHARTS = 3
MAX_ANOMALY_LINES = 5


@dataclass(frozen=True)
class DigestEntry:
    service: str
    view: ForecastView | None = None
    error: str | None = None
    anomalies: list[Anomaly] = field(default_factory=list)


def _anomaly_lines(entry: DigestEntry, lang: str, tz: ZoneInfo) -> str:
    if not entry.anomalies:
        return t("digest.anomalies.none", lang)
    lines = [t("digest.anomalies", lang, count=len(entry.anomalies))]
    for a in entry.anomalies[:MAX_ANOMALY_LINES]:
        at = a.at.astimezone(tz).strftime("%m-%d %H:%M")
        lines.append(f"- `{a.metric}` · {a.entity} · {at} · {a.score:.2f}")
    return "\n".join(lines)


def digest_card(
    entries: list[DigestEntry], lang: str, timezone: str, at: datetime, schedule: str
) -> Card:
    tz = ZoneInfo(timezone)
    elements: list[Element] = []
    charts = 0
    for i, entry in enumerate(entries):
        if i:
            elements.append(divider())
        elements.append(markdown(f"**{entry.service}**"))
        if entry.view is None:
            elements.append(markdown(t("digest.failed", lang, detail=entry.error or "")))
            continue
        elements.append(markdown(forecast_summary(entry.view, lang, timezone)))
        if charts < MAX_CHARTS:
            elements.append(chart(forecast_chart_spec(entry.view, lang, timezone, 24, 24)))
            charts += 1
        elements.append(markdown(_anomaly_lines(entry, lang, tz)))
        apply = scaling_button(entry.view, lang)
        if apply is not None:
            elements.append(actions([apply]))
    if not entries:
        elements.append(markdown(t("digest.empty", lang)))
    title = t("digest.title", lang, date=at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
    return card(title, elements, severity="info", subtitle=schedule)
