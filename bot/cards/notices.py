"""Small standard cards: usage, error naming a dependency, working, plain notice."""

from __future__ import annotations

from bot.cards.card import Card, Severity, card
from bot.cards.elements import markdown
from bot.cards.escape import escape_markdown
from messages import t

__all__ = [
    "usage_card",
    "error_card",
    "internal_error_card",
    "working_card",
    "notice_card",
]


def usage_card(lang: str, problem: str, usage: str) -> Card:
    return card(
        t("card.usage.title", lang),
        [
            markdown(f"**{escape_markdown(problem)}**"),
            markdown(escape_markdown(usage, trusted_code=True)),
        ],
        severity="warning",
    )


def error_card(lang: str, dependency: str, detail: str, *, since: str = "") -> Card:
    """An error that names the failing dependency (never a raw traceback or secret) and,
    given ``since`` (a card time), when it started failing."""
    body = t(
        "card.error.body",
        lang,
        dependency=escape_markdown(dependency),
        detail=escape_markdown(detail),
    )
    elements = [markdown(body)]
    if since:
        elements.append(markdown(t("card.error.since", lang, since=escape_markdown(since))))
    return card(t("card.error.title", lang, dependency=dependency), elements, severity="error")


def internal_error_card(lang: str, command: str) -> Card:
    """A bug of ours: say what could not finish, never the exception or its text."""
    return card(
        t("card.error.internal_title", lang, command=command),
        [markdown(escape_markdown(t("card.error.internal", lang, command=command)))],
        severity="error",
    )


def working_card(lang: str, title: str, detail: str = "") -> Card:
    body = [markdown(escape_markdown(detail) if detail else t("card.working.body", lang))]
    return card(title, body, severity="working", subtitle=t("card.working.subtitle", lang))


def notice_card(title: str, text: str, severity: Severity = "info") -> Card:
    """``text`` is escaped (a mention of one person from the catalogue survives)."""
    return card(title, [markdown(escape_markdown(text, keep_mentions=True))], severity=severity)
