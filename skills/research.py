"""/research <question>: an AutoGen research team (web search + knowledge base) with cited
links; without an LLM, the retrieved runbook passages only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from agents import AgentFailed
from bot.access import Requires, Role
from bot.cards.answer import web_card
from bot.cards.elements import markdown
from bot.cards.notices import working_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError
from bot.texts.agents import cost_line
from config.availability import web_search_configured
from skills.grounded_answer import answer_question, llm_ready, outcome_card
from skills.narrative import failure_note
from skills.web_research import read_research

__all__ = ["register", "parse"]


def parse(args: Sequence[str]) -> str:
    question = " ".join(args).strip()
    if not question:
        raise UsageError("research.empty")
    return question


async def handle(question: str, ctx: Context) -> None:
    working_id = await ctx.working(working_card(ctx.lang, ctx.t("research.title")))
    note = ctx.t("research.no_llm")
    agents = ctx.services.agents
    if agents is not None and llm_ready(ctx.services, "research"):
        use_web = web_search_configured(ctx.settings)
        try:
            result = await agents.research(question, use_web=use_web, lang=ctx.lang)
        except AgentFailed as exc:
            note = failure_note(exc, ctx.lang)
        else:
            if result is not None:
                text, sources = read_research(result, ctx.lang)
                card = web_card(question, text, sources, ctx.lang)
                card["body"]["elements"].append(
                    markdown(cost_line(result.usage, ctx.lang), text_size="notation")
                )
                await ctx.patch(working_id, card)
                return
    outcome = await answer_question(ctx.services, question, ())
    await ctx.patch(working_id, outcome_card(replace(outcome, note=note), ctx.lang))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="research",
            usage_key="research.usage",
            summary_key="research.summary",
            parse=parse,
            handle=handle,
            aliases=("研究",),
            access=Requires(Role.viewer),
        )
    )
