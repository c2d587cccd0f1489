"""The forecast digest: one card per group and schedule (split into pages when long), a
section per service.

Within budget by construction: a section is one markdown block (name, forecast summary,
anomalies) plus its Apply button; a page holds at most ``PAGE_SERVICES`` services and
``MAX_CHARTS`` charts, so 40 services make four cards of well under 180 elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cards.alert import Anomaly
from bot.cards.card import Card, card
from bot.cards.cutting import cut_bytes
from bot.cards.elements import Element, actions, chart, divider, markdown
from bot.cards.escape import code_span, escape_markdown
from bot.cards.forecast import ForecastView, forecast_chart_spec, forecast_summary, scaling_button
from bot.cards.validation import card_bytes
from messages import t

__all__ = ["DigestEntry", "digest_card", "digest_cards", "MAX_CHARTS", "PAGE_SERVICES"]

MAX_CHARTS = 3
MAX_ANOMALY_LINES = 5
PAGE_SERVICES = 10
PAGE_BYTES = 20 * 1024
ERROR_BYTES = 400
NAME_BYTES = 120


@dataclass(frozen=True)
class DigestEntry:
    service: str
    view: ForecastView | None = None
    error: str | None = None
    anomalies: list[Anomaly] = field(default_factory=list)


def _anomaly_lines(entry: DigestEntry, lang: str, tz: ZoneInfo) -> list[str]:
    if not entry.anomalies:
        return [t("digest.anomalies.none", lang)]
    lines = [t("digest.anomalies", lang, count=len(entry.anomalies))]
    for a in entry.anomalies[:MAX_ANOMALY_LINES]:
        at = a.at.astimezone(tz).strftime("%m-%d %H:%M")
        metric = code_span(cut_bytes(a.metric, NAME_BYTES))
        entity = escape_markdown(cut_bytes(a.entity, NAME_BYTES))
        lines.append(f"- {metric} · {entity} · {at} · {a.score:.2f}")
    return lines


def _section(entry: DigestEntry, lang: str, timezone: str, charts: int) -> list[Element]:
    tz = ZoneInfo(timezone)
    head = f"**{escape_markdown(cut_bytes(entry.service, NAME_BYTES))}**"
    if entry.view is None:
        detail = escape_markdown(cut_bytes(entry.error or "", ERROR_BYTES))
        return [markdown(f"{head}\n{t('digest.failed', lang, detail=detail)}")]
    text = "\n".join(
        [head, forecast_summary(entry.view, lang, timezone), *_anomaly_lines(entry, lang, tz)]
    )
    elements: list[Element] = [markdown(text)]
    if charts < MAX_CHARTS:
        elements.append(chart(forecast_chart_spec(entry.view, lang, timezone, 24, 24)))
    apply = scaling_button(entry.view, lang)
    if apply is not None:
        elements.append(actions([apply]))
    return elements


def _page(entries: list[DigestEntry], lang: str, timezone: str, title: str, schedule: str) -> Card:
    elements: list[Element] = []
    charts = 0
    for i, entry in enumerate(entries):
        if i:
            elements.append(divider())
        section = _section(entry, lang, timezone, charts)
        charts += sum(1 for e in section if e["tag"] == "chart")
        elements += section
    if not entries:
        elements.append(markdown(t("digest.empty", lang)))
    return card(title, elements, severity="info", subtitle=schedule)


def digest_cards(
    entries: list[DigestEntry], lang: str, timezone: str, at: datetime, schedule: str
) -> list[Card]:
    """The digest as one card per ``PAGE_SERVICES`` services ("(2/4)" in the title)."""
    tz = ZoneInfo(timezone)
    title = t("digest.title", lang, date=at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
    pages: list[list[DigestEntry]] = []
    for entry in entries:  # up to PAGE_SERVICES services and PAGE_BYTES bytes a page
        if pages:
            page = [*pages[-1], entry]
            size = card_bytes(_page(page, lang, timezone, title, schedule))
            if len(page) <= PAGE_SERVICES and size <= PAGE_BYTES:
                pages[-1] = page
                continue
        pages.append([entry])
    if len(pages) <= 1:
        return [_page(entries, lang, timezone, title, schedule)]
    return [
        _page(
            page, lang, timezone, title + t("cards.page", lang, page=n, pages=len(pages)), schedule
        )
        for n, page in enumerate(pages, 1)
    ]


def digest_card(
    entries: list[DigestEntry], lang: str, timezone: str, at: datetime, schedule: str
) -> Card:
    """The first page of the digest (all of it up to ``PAGE_SERVICES`` services)."""
    return digest_cards(entries, lang, timezone, at, schedule)[0]
