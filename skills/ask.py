"""/ask and plain private-chat text: answers from the team's runbooks, with citations
(``skills.grounded_answer``), remembering the conversation per user per chat
(``skills.conversation_memory``). Card actions: ``ask`` (suggested follow-ups, the RCA
card's button) and ``ask_web`` (research with web search, when configured).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from bot.access import Requires, Role
from bot.cards.answer import small_talk_card, web_card, web_unavailable_card
from bot.cards.card import Card
from bot.cards.notices import notice_card, working_card
from bot.context import ActionContext, Context
from bot.registry import Registry, Skill, UsageError
from messages import t
from skills.conversation_memory import Memory, Turn
from skills.grounded_answer import Outcome, answer_question, llm_ready, outcome_card
from skills.small_talk import small_talk
from skills.thread_context import thread_turns
from skills.web_research import read_research, research, web_search_ready

__all__ = ["converse", "parse", "register"]

MEMORY_ANSWER_CHARS = 1200


def parse(args: Sequence[str]) -> str:
    question = " ".join(args).strip()
    if not question:
        raise UsageError("ask.empty")
    return question


async def converse(
    services: Any, user_id: str, chat_id: str, question: str, context: Sequence[Turn] = ()
) -> Outcome:
    """Answer with this user's memory in this chat (after ``context``: the thread the
    question was asked in), and remember the exchange (not the context)."""
    memory = Memory.of(services, user_id, chat_id)
    turns = await memory.load()
    outcome = await answer_question(services, question, [*turns, *context])
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
    context = await thread_turns(ctx)
    if not llm_ready(ctx.services):
        outcome = await converse(ctx.services, ctx.user_open_id, ctx.chat_id, question, context)
        await ctx.reply(outcome_card(outcome, ctx.lang))
        return
    working = await ctx.working(working_card(ctx.lang, ctx.t("ask.title"), ctx.t("ask.working")))
    outcome = await converse(ctx.services, ctx.user_open_id, ctx.chat_id, question, context)
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
    text, sources = read_research(result, ctx.lang)
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
