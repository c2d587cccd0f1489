"""Pure parts: token budget, follow-up queries, citation checks, and every card's schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cards.answer import (
    AnswerView,
    answer_card,
    unknown_card,
    web_card,
    web_unavailable_card,
)
from bot.cards.schema import validate_card
from knowledge.answer import cite
from knowledge.index.protocol import Hit
from messages import LANGUAGES
from skills.conversation_memory import Memory, MemoryLimits, approx_tokens, followup_query, trim
from skills.grounded_answer import checked_citations


def turn(role: str, text: str, query: str = "") -> dict[str, str]:
    return {"role": role, "text": text, "query": query or text, "at": "2026-01-01T00:00:00+00:00"}


def test_approx_tokens_counts_chinese_characters_one_each() -> None:
    assert approx_tokens("容器反复重启") == 6
    assert approx_tokens("a" * 40) == 10
    assert approx_tokens("") == 0


def test_trim_keeps_the_newest_turns_within_the_budget() -> None:
    turns = [turn("user", f"q{i} " + "x" * 396) for i in range(10)]  # about 100 tokens each
    kept = trim(turns, MemoryLimits(timedelta(hours=2), token_budget=350, max_turns=6))
    assert [t["text"][:2] for t in kept] == ["q7", "q8", "q9"]


def test_trim_keeps_at_most_max_turns_pairs() -> None:
    turns = [turn("user" if i % 2 == 0 else "assistant", f"t{i}") for i in range(30)]
    kept = trim(turns, MemoryLimits(timedelta(hours=2), token_budget=10_000, max_turns=4))
    assert kept == turns[-8:]


def test_a_short_question_inherits_the_previous_key_terms() -> None:
    history = [turn("user", "Why is my pod in CrashLoopBackOff?"), turn("assistant", "...")]
    query = followup_query("how do I fix it?", history)
    assert query.startswith("how do I fix it? ")
    assert "crashloopbackoff" in query and "pod" in query


def test_a_long_question_or_no_history_is_searched_as_asked() -> None:
    history = [turn("user", "Why is my pod in CrashLoopBackOff?")]
    long_question = "why does the ingress controller return 502 for the payments service"
    assert followup_query(long_question, history) == long_question
    assert followup_query("how do I fix it?", []) == "how do I fix it?"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("Restart it [1].", [1], [1]),
        ("Restart it [1][3].", [], [1, 3]),
        ("Restart it [1].", [2], [1, 2]),
        ("Restart it [6].", [6], None),  # only five passages
        ("Restart it [0].", [], None),
        ("Restart it.", [], None),  # an answer must cite
        ("Restart it [1].", [7], None),
    ],
)
def test_checked_citations(text: str, declared: list[int], expected: list[int] | None) -> None:
    assert checked_citations(text, declared, passages=5) == expected


def _hits(n: int, size: int = 3000) -> list[Hit]:
    return [
        Hit(f"Runbook {i}", f"runbook-{i}.md", f"Section {i}", "word " * (size // 5), 1.0)
        for i in range(n)
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_assistant_card_is_valid(lang: str) -> None:
    hits = _hits(20)
    long_question = "为什么 " * 300
    cards = [
        answer_card(AnswerView("q", "text [1]", cite(hits[:1]), hits[:1]), lang),
        answer_card(
            AnswerView(
                long_question,
                "answer " * 5000,
                cite(hits),
                hits,
                query=long_question + " more",
                note="note",
                suggestions=[f"Tell me more about: {h.title_path}" * 5 for h in hits[:3]],
                by_model=True,
            ),
            lang,
        ),
        unknown_card("q", lang),
        unknown_card(long_question, lang, reason="The runbooks do not say.", query="q x"),
        web_card(
            long_question, "answer [1] " * 5000, [("Title", "https://example.com/a")] * 10, lang
        ),
        web_card("q", "answer", [], lang),
        web_unavailable_card("q", lang),
    ]
    for card in cards:
        validate_card(card)


class ListSessions:
    """store.sessions' interface over a dict (the SQL store is exercised end to end)."""

    def __init__(self, turns: list[dict[str, str]]) -> None:
        self.turns = turns

    async def load(self, user_id: str, chat_id: str) -> list[dict[str, str]]:
        return self.turns


async def test_turns_without_a_usable_time_are_forgotten() -> None:
    now = datetime(2026, 1, 1, 1, tzinfo=UTC)
    kept = Memory(ListSessions([turn("user", "q")]), "ou", "oc", lambda: now)
    assert await kept.load() == [turn("user", "q")]
    broken = Memory(ListSessions([{"role": "user", "text": "q"}]), "ou", "oc", lambda: now)
    assert await broken.load() == []
