"""/ask and plain private-chat text: answers from the team's runbooks, with citations.

Retrieval first (``services.knowledge``). When the best passages do not cover the
question, the answer is "I don't know". Otherwise, with an LLM (``services.agents``),
a grounded answer from those passages only, kept only if every ``[n]`` it cites names a
retrieved passage (else the extractive answer, with a note); without an LLM, the
extractive summary. Card actions: ``ask`` (suggested follow-ups, the RCA card's button)
and ``ask_web`` (research with web search, when configured).
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from bot.access import Requires, Role
from bot.cards.answer import (
    AnswerView,
    answer_card,
    small_talk_card,
    unknown_card,
    web_card,
    web_unavailable_card,
)
from bot.cards.card import Card
from bot.cards.notices import notice_card, working_card
from bot.context import ActionContext, Context
from bot.registry import DependencyError, Registry, Skill, UsageError
from knowledge.answer import Answer, answer_extractive, cite
from knowledge.howto import HOW_TO_DEPTH, is_how_to, prefer_actions
from knowledge.index.protocol import Hit
from messages import t
from skills.new_session import Memory, Turn, followup_query, history_pairs
from skills.small_talk import small_talk

__all__ = [
    "GroundedAgents",
    "llm_ready",
    "Outcome",
    "answer_question",
    "checked_citations",
    "converse",
    "outcome_card",
    "parse",
    "read_research",
    "register",
    "web_search_ready",
]

log = structlog.get_logger(__name__)
DEFAULT_TOP_K = 5
MEMORY_ANSWER_CHARS = 1200
SUGGESTIONS = 3
MARKER = re.compile(r"\[(\d{1,3})\]")


class GroundedAgents(Protocol):
    """What the assistant needs from ``services.agents`` (``agents.service.Agents``).

    Both return None when no LLM is configured; ``status`` is "disabled" then.
    """

    async def grounded_answer(
        self,
        question: str,
        passages: Sequence[str],
        history: Sequence[tuple[str, str]] = (),
        *,
        lang: str | None = None,
    ) -> Any: ...

    async def research(
        self, question: str, use_web: bool = True, *, lang: str | None = None
    ) -> Any: ...


def llm_ready(services: Any, entry_point: str = "grounded_answer") -> bool:
    agents = services.agents
    return (
        agents is not None
        and hasattr(agents, entry_point)
        and getattr(agents, "status", "enabled") != "disabled"
    )


@dataclass(frozen=True)
class Outcome:
    """An answer and the passages its citation numbers point into (``passages[n - 1]``)."""

    question: str
    query: str
    answer: Answer
    passages: list[Hit]
    note: str = ""
    by_model: bool = False


def parse(args: Sequence[str]) -> str:
    question = " ".join(args).strip()
    if not question:
        raise UsageError("ask.empty")
    return question


def passage_text(hit: Hit) -> str:
    return f"{hit.title_path} ({hit.source})\n{hit.text}"


def checked_citations(text: str, declared: Iterable[Any], passages: int) -> list[int] | None:
    """Every cited number (``[n]`` in the text or declared) if all name a passage, else None."""
    numbers = {int(n) for n in MARKER.findall(text)}
    numbers |= {int(getattr(c, "n", c)) for c in declared}
    if not numbers or any(not 1 <= n <= passages for n in numbers):
        return None
    return sorted(numbers)


def _sources(hits: Sequence[Hit], numbers: Iterable[int], lang: str) -> tuple[str, list[Any]]:
    citations = [c for c in cite(hits) if c.n in set(numbers)]
    lines = [f"[{c.n}] {hits[c.n - 1].title_path} ({c.source})" for c in citations]
    return "\n".join([t("knowledge.answer.sources", lang), *lines]), citations


async def _grounded(
    agents: Any, question: str, hits: list[Hit], turns: Sequence[Turn], lang: str
) -> tuple[Answer | None, str]:
    """The model's answer when its citations hold; otherwise None and the reason."""
    try:
        passages = [passage_text(h) for h in hits]
        result = await agents.grounded_answer(question, passages, history_pairs(turns), lang=lang)
    except Exception as exc:  # noqa: BLE001 - the LLM is optional: fall back, say so
        log.warning("grounded_answer_failed", error=type(exc).__name__)
        return None, t("ask.note.model_failed", lang)
    if result is None:  # no LLM configured after all
        return None, ""
    text = str(getattr(result, "answer", None) or getattr(result, "text", "") or "")
    if getattr(result, "refused", False) or getattr(result, "supported", True) is False:
        if MARKER.search(text):  # an answer whose citations the agents side rejected
            return None, t("ask.note.bad_citations", lang)
        # The model's own sentence is not shown: it is unchecked text.
        return Answer(t("ask.note.model_refused", lang), [], False), ""
    numbers = checked_citations(text, getattr(result, "citations", None) or [], len(hits))
    if numbers is None:
        return None, t("ask.note.bad_citations", lang)
    sources, citations = _sources(hits, numbers, lang)
    return Answer(f"{text}\n\n{sources}", citations, True), ""


async def answer_question(
    services: Any, question: str, turns: Sequence[Turn], *, top_k: int = DEFAULT_TOP_K
) -> Outcome:
    kb, lang = services.knowledge, services.lang
    if kb is None:
        raise DependencyError(t("ask.dependency", lang), t("ask.failure.not_configured", lang))
    query = followup_query(question, turns)
    how_to = is_how_to(question)
    try:
        hits = await asyncio.to_thread(kb.search, query, top_k * HOW_TO_DEPTH if how_to else top_k)
    except Exception as exc:
        raise DependencyError(t("ask.dependency", lang), t("ask.failure.search", lang)) from exc
    if how_to:  # the sections that say what to do first
        hits = prefer_actions(hits)[:top_k]
    extractive = answer_extractive(query, hits, lang=lang, how_to=how_to)
    if not extractive.supported or not llm_ready(services):
        return Outcome(question, query, extractive, hits)
    grounded, note = await _grounded(services.agents, question, hits, turns, lang)
    if grounded is None:
        return Outcome(question, query, extractive, hits, note=note)
    return Outcome(question, query, grounded, hits, by_model=True)


def _suggestions(outcome: Outcome, lang: str) -> list[str]:
    cited = {outcome.passages[c.n - 1].title_path for c in outcome.answer.citations}
    topics = [h.title_path for h in outcome.passages if h.title_path not in cited]
    return [t("ask.suggest", lang, topic=p) for p in dict.fromkeys(topics)][:SUGGESTIONS]


def outcome_card(outcome: Outcome, lang: str) -> Card:
    answer = outcome.answer
    if not answer.supported:
        reason = answer.text if outcome.by_model else ""
        return unknown_card(outcome.question, lang, reason=reason, query=outcome.query)
    view = AnswerView(
        outcome.question,
        answer.text,
        answer.citations,
        outcome.passages,
        query=outcome.query,
        note=outcome.note,
        suggestions=_suggestions(outcome, lang),
        by_model=outcome.by_model,
    )
    return answer_card(view, lang)


async def converse(services: Any, user_id: str, chat_id: str, question: str) -> Outcome:
    """Answer with this user's memory in this chat, and remember the exchange."""
    memory = Memory.of(services, user_id, chat_id)
    turns = await memory.load()
    outcome = await answer_question(services, question, turns)
    text = outcome.answer.text[:MEMORY_ANSWER_CHARS]
    await memory.remember(turns, question, outcome.query, text)
    return outcome


def _unavailable(question: str, lang: str) -> Card:
    return notice_card(t("ask.title", lang), t("ask.unavailable", lang, question=question))


async def handle(registry: Registry, question: str, ctx: Context) -> None:
    kind = small_talk(question)
    if kind is not None:  # "你好", "thanks": a short reply with the commands, no search
        await ctx.reply(small_talk_card(kind, registry.visible(), ctx.lang))
        return
    if ctx.services.knowledge is None:
        await ctx.reply(_unavailable(question, ctx.lang))
        return
    if not llm_ready(ctx.services):
        outcome = await converse(ctx.services, ctx.user_open_id, ctx.chat_id, question)
        await ctx.reply(outcome_card(outcome, ctx.lang))
        return
    working = await ctx.working(working_card(ctx.lang, ctx.t("ask.title"), ctx.t("ask.working")))
    outcome = await converse(ctx.services, ctx.user_open_id, ctx.chat_id, question)
    await ctx.patch(working, outcome_card(outcome, ctx.lang))


async def on_ask(ctx: ActionContext) -> None:
    question = str(ctx.value.get("question", "")).strip()
    if not question:
        return
    if ctx.services.knowledge is None:
        await ctx.send(_unavailable(question, ctx.lang))
        return
    outcome = await converse(ctx.services, ctx.user_open_id, ctx.chat_id, question)
    await ctx.send(outcome_card(outcome, ctx.lang))


def web_search_ready(services: Any) -> bool:
    """Web research needs an LLM (``services.agents``) and a Tavily key."""
    return llm_ready(services, "research") and bool(os.environ.get("TAVILY_API_KEY"))


def read_research(result: Any) -> tuple[str, list[tuple[str, str]]]:
    """The answer text and (title, url) sources of a research result."""
    text = str(getattr(result, "answer", None) or getattr(result, "text", "") or "")
    sources: list[tuple[str, str]] = []
    for source in getattr(result, "sources", None) or []:
        get = source.get if isinstance(source, dict) else lambda k, s=source: getattr(s, k, "")
        if get("url"):
            sources.append((str(get("title") or ""), str(get("url"))))
    return text, sources


async def research(services: Any, question: str) -> Any:
    """The research result, or None when no LLM is configured."""
    try:
        return await services.agents.research(question, use_web=True, lang=services.lang)
    except Exception as exc:
        raise DependencyError("LLM", t("ask.failure.web", services.lang)) from exc


async def on_ask_web(ctx: ActionContext) -> None:
    question = str(ctx.value.get("question", "")).strip()
    if not question:
        return
    if not web_search_ready(ctx.services):
        await ctx.send(web_unavailable_card(question, ctx.lang))
        return
    result = await research(ctx.services, question)
    if result is None:
        await ctx.send(web_unavailable_card(question, ctx.lang))
        return
    text, sources = read_research(result)
    await ctx.send(web_card(question, text, sources, ctx.lang))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="ask",
            usage_key="ask.usage",
            summary_key="ask.summary",
            parse=parse,
            handle=functools.partial(handle, registry),  # small talk lists the commands
            aliases=("问",),
            access=Requires(Role.viewer),
        )
    )
    registry.action("ask", requires=Requires(Role.viewer))(on_ask)
    registry.action("ask_web", requires=Requires(Role.viewer))(on_ask_web)
