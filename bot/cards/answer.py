"""Assistant cards: a cited answer, an honest "I don't know", and web research results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.cards.card import Card, card
from bot.cards.cutting import cut_bytes, cut_lines, utf8_len
from bot.cards.elements import Element, actions, button, markdown, panel
from bot.cards.escape import escape_markdown
from bot.cards.help import grouped
from bot.cards.validation.markdown import is_web_url
from bot.registry import Skill
from knowledge.answer import Citation
from knowledge.index.protocol import Hit
from messages import t

__all__ = [
    "AnswerView",
    "answer_card",
    "small_talk_card",
    "unknown_card",
    "web_card",
    "web_unavailable_card",
]

EXCERPT_CHARS = 400
LABEL_CHARS = 40
QUESTION_CHARS = 300
NOTE_BYTES = 600
TEXT_CHARS = 8000
TEXT_BYTES = 14_000  # ~4,600 CJK characters: keeps a card in budget whatever a model writes
PASSAGES_BYTES = 5_000


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


def _asked(question: str, lang: str) -> Element:
    """The question, in small text after the answer (the answer is what is read first)."""
    text = escape_markdown(_cut(" ".join(question.split()), QUESTION_CHARS))
    return markdown(t("ask.asked", lang, question=text), text_size="notation")


def _excerpt(text: str) -> str:
    return escape_markdown(_cut(" ".join(text.split()), EXCERPT_CHARS))


def _body(text: str) -> str:
    """Model or extractive text: escaped, then cut at a line end (whole bullets) or else a
    sentence end, to TEXT_CHARS characters and TEXT_BYTES bytes (never mid-sentence)."""
    escaped = escape_markdown(text)
    return cut_bytes(escaped, min(TEXT_BYTES, utf8_len(escaped[:TEXT_CHARS])))


def _link_text(text: str) -> str:
    return escape_markdown(text).replace("[", "\\[").replace("]", "\\]")


def _web_button(question: str, lang: str) -> Element:
    return button(t("ask.button.web", lang), {"action": "ask_web", "question": question})


def answer_card(view: AnswerView, lang: str) -> Card:
    elements: list[Element] = [markdown(_body(view.text)), _asked(view.question, lang)]
    if view.query and view.query != view.question:
        query = escape_markdown(_cut(view.query, QUESTION_CHARS))
        elements.append(markdown(t("ask.followup_note", lang, query=query), text_size="notation"))
    if view.note:
        elements.append(markdown(f"*{escape_markdown(cut_bytes(view.note, NOTE_BYTES))}*"))
    cited = [
        f"**[{c.n}] {escape_markdown(view.passages[c.n - 1].title_path)}** · "
        f"{escape_markdown(c.source)}\n{_excerpt(view.passages[c.n - 1].text)}"
        for c in view.citations
    ]
    if cited:
        more = lambda n: t("cards.more", lang, count=n)  # noqa: E731
        passages = "\n\n".join(cut_lines(cited, PASSAGES_BYTES, more))
        elements.append(panel(t("ask.passages", lang), [markdown(passages)]))
    buttons = [
        button(_cut(s, LABEL_CHARS), {"action": "ask", "question": s}) for s in view.suggestions
    ] + [_web_button(view.question, lang)]
    elements.append(actions(buttons))
    footer = t("ask.footer.model" if view.by_model else "ask.footer.extractive", lang)
    elements.append(markdown(footer, text_size="notation"))
    return card(t("ask.title", lang), elements, severity="info")


def unknown_card(question: str, lang: str, *, reason: str = "", query: str = "") -> Card:
    elements: list[Element] = [markdown(f"**{t('knowledge.answer.unknown', lang)}**")]
    if reason:
        elements.append(markdown(_body(reason)))
    elements.append(_asked(question, lang))
    if query and query != question:
        query = escape_markdown(_cut(query, QUESTION_CHARS))
        elements.append(markdown(t("ask.followup_note", lang, query=query), text_size="notation"))
    elements.append(markdown(t("ask.unknown.hint", lang)))
    elements.append(actions([_web_button(question, lang)]))
    return card(t("ask.unknown.title", lang), elements, severity="neutral")


def web_card(question: str, text: str, sources: Sequence[tuple[str, str]], lang: str) -> Card:
    elements: list[Element] = [markdown(_body(text)), _asked(question, lang)]
    if sources:
        lines = [
            f"[{n}] [{_link_text(title or url)}]({url})"
            if is_web_url(url) and not any(c in url for c in " ()<>")
            else f"[{n}] {escape_markdown(title or url)}"
            for n, (title, url) in enumerate(sources, 1)
        ]
        more = lambda n: t("cards.more", lang, count=n)  # noqa: E731
        listing = "\n".join(cut_lines(lines, PASSAGES_BYTES, more))
        elements.append(markdown(t("ask.web.sources", lang) + "\n" + listing))
    else:
        elements.append(markdown(f"*{t('ask.web.no_sources', lang)}*"))
    return card(t("ask.web.title", lang), elements, severity="info")


def web_unavailable_card(question: str, lang: str) -> Card:
    body = [markdown(t("ask.web.unavailable", lang)), _asked(question, lang)]
    return card(t("ask.web.title", lang), body, severity="warning")


def small_talk_card(kind: str, skills: Sequence[Skill], lang: str) -> Card:
    """A greeting or a thank-you: a short reply and the commands by task, one line each."""
    lines = [
        f"**{t(f'help.group.{group}', lang)}** " + " · ".join(f"/{s.name}" for s in members)
        for group, members in grouped(skills)
    ]
    body = [markdown(t(f"ask.small_talk.{kind}", lang)), markdown("\n".join(lines))]
    return card(t("ask.title", lang), body, severity="info")
