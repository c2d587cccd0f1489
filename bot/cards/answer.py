"""Assistant cards: a cited answer, an honest "I don't know", and web research results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.cards.card import Card, card
from bot.cards.elements import Element, actions, button, markdown, panel
from bot.messages import t
from knowledge.answer import Citation
from knowledge.index.protocol import Hit

__all__ = ["AnswerView", "answer_card", "unknown_card", "web_card", "web_unavailable_card"]

EXCERPT_CHARS = 400
LABEL_CHARS = 40
QUESTION_CHARS = 500
TEXT_CHARS = 8000  # keeps a card under the 30 KB limit whatever a model writes


@dataclass(frozen=True)
class AnswerView:
    """``passages[n - 1]`` is the passage citation ``n`` points at."""

    question: str
    text: str
    citations: Sequence[Citation]
    passages: Sequence[Hit]
    query: str = ""  # the retrieval query, when memory widened the question
    note: str = ""
    suggestions: Sequence[str] = field(default_factory=tuple)
    by_model: bool = False


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(question: str) -> Element:
    return markdown(f"> {_cut(' '.join(question.split()), QUESTION_CHARS)}")


def _excerpt(text: str) -> str:
    return _cut(" ".join(text.split()), EXCERPT_CHARS)


def _web_button(question: str, lang: str) -> Element:
    return button(t("ask.button.web", lang), {"action": "ask_web", "question": question})


def answer_card(view: AnswerView, lang: str) -> Card:
    elements: list[Element] = [_quote(view.question)]
    if view.query and view.query != view.question:
        elements.append(
            markdown(t("ask.followup_note", lang, query=view.query), text_size="notation")
        )
    if view.note:
        elements.append(markdown(f"*{view.note}*"))
    elements.append(markdown(_cut(view.text, TEXT_CHARS)))
    cited = [
        f"**[{c.n}] {view.passages[c.n - 1].title_path}** · `{c.source}`\n"
        f"{_excerpt(view.passages[c.n - 1].text)}"
        for c in view.citations
    ]
    if cited:
        elements.append(panel(t("ask.passages", lang), [markdown("\n\n".join(cited))]))
    buttons = [
        button(_cut(s, LABEL_CHARS), {"action": "ask", "question": s}) for s in view.suggestions
    ] + [_web_button(view.question, lang)]
    elements.append(actions(buttons))
    footer = t("ask.footer.model" if view.by_model else "ask.footer.extractive", lang)
    elements.append(markdown(footer, text_size="notation"))
    return card(t("ask.title", lang), elements, severity="info")


def unknown_card(question: str, lang: str, *, reason: str = "", query: str = "") -> Card:
    elements: list[Element] = [_quote(question)]
    if query and query != question:
        elements.append(markdown(t("ask.followup_note", lang, query=query), text_size="notation"))
    elements.append(markdown(f"**{t('knowledge.answer.unknown', lang)}**"))
    if reason:
        elements.append(markdown(reason))
    elements.append(markdown(t("ask.unknown.hint", lang)))
    elements.append(actions([_web_button(question, lang)]))
    return card(t("ask.unknown.title", lang), elements, severity="neutral")


def web_card(question: str, text: str, sources: Sequence[tuple[str, str]], lang: str) -> Card:
    elements: list[Element] = [_quote(question), markdown(_cut(text, TEXT_CHARS))]
    if sources:
        lines = [f"[{n}] [{title or url}]({url})" for n, (title, url) in enumerate(sources, 1)]
        elements.append(markdown(t("ask.web.sources", lang) + "\n" + "\n".join(lines)))
    else:
        elements.append(markdown(f"*{t('ask.web.no_sources', lang)}*"))
    return card(t("ask.web.title", lang), elements, severity="info")


def web_unavailable_card(question: str, lang: str) -> Card:
    body = [_quote(question), markdown(t("ask.web.unavailable", lang))]
    return card(t("ask.web.title", lang), body, severity="warning")
