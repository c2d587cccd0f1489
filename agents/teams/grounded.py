"""Grounded answer: one agent, no tools, only the numbered passages, citations checked."""

from __future__ import annotations

import re
from collections.abc import Sequence

from autogen_agentchat.agents import AssistantAgent

from agents.metered import MeteredClient
from agents.parsing import parse_reply
from agents.prompts import GROUNDED, system_message
from agents.reports import GroundedAnswer
from agents.teams.budget import Budget
from agents.teams.run import final_text, run_team
from agents.untrusted import shorten, wrap

__all__ = ["answer", "check_citations", "MARKER"]

MARKER = re.compile(r"\[(\d{1,3})\]")
HISTORY_TURNS = 6


def check_citations(reply: GroundedAnswer, passages: int) -> GroundedAnswer:
    """Citations must name real passages, and an answer must cite; otherwise it is a refusal."""
    if reply.refused:
        return reply.model_copy(update={"citations": []})
    marked = {int(n) for n in MARKER.findall(reply.answer)}
    cited = sorted(set(reply.citations) | marked)
    if not cited or any(not 1 <= n <= passages for n in cited):
        return reply.model_copy(update={"refused": True, "citations": []})
    return reply.model_copy(update={"citations": cited})


async def answer(
    meter: MeteredClient,
    question: str,
    passages: Sequence[str],
    history: Sequence[tuple[str, str]],
    *,
    lang: str | None,
    budget: Budget,
) -> GroundedAnswer:
    agent = AssistantAgent("assistant", meter, system_message=system_message(GROUNDED, lang))
    numbered = "\n\n".join(
        wrap(f"passage-{i}", text, limit=2500) for i, text in enumerate(passages, start=1)
    )
    earlier = "\n".join(f"{role}: {shorten(text, 500)}" for role, text in history[-HISTORY_TURNS:])
    task = (
        f"Earlier conversation (context only):\n{wrap('history', earlier)}\n\n" if earlier else ""
    ) + f"Passages:\n{numbered}\n\nQuestion: {question}"
    result = await run_team(agent, task, budget, meter)
    reply = final_text(result, "assistant", meter)
    parsed = parse_reply(
        reply, GroundedAnswer, allowed={"answer", "citations", "refused"}, usage=meter.usage
    )
    return check_citations(parsed, len(passages)).model_copy(update={"usage": meter.usage})
