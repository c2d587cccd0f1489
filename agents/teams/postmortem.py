"""Postmortem: one agent, no tools, rewrites the timeline's draft; what it adds is checked.

The draft (``bot.texts.postmortem``) holds every fact. The model may only reword it: every
timestamp, clock time, open_id and URL in its text must appear in the draft, and the text
must keep each of the draft's timeline times; otherwise the reply is marked rejected.
"""

from __future__ import annotations

import re

from autogen_agentchat.agents import AssistantAgent

from agents.metered import MeteredClient
from agents.parsing import parse_reply
from agents.prompts import POSTMORTEM, system_message
from agents.reports import Postmortem
from agents.teams.budget import Budget
from agents.teams.run import final_text, run_team
from agents.untrusted import wrap

__all__ = ["FACT", "keeps_facts", "write"]

# What a reworded postmortem may not invent: dates with times, clock times, people, links.
FACT = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?|\b\d{1,2}:\d{2}\b|ou_\w+|https?://\S+"
)
MAX_DRAFT = 12000


def keeps_facts(draft: str, text: str) -> bool:
    """``text`` states no fact the draft lacks and drops none of the draft's times."""
    drafted = set(FACT.findall(draft))
    stated = set(FACT.findall(text))
    times = {f for f in drafted if ":" in f and not f.startswith(("http", "ou_"))}
    return bool(text.strip()) and stated <= drafted and times <= stated


async def write(
    meter: MeteredClient, draft: str, *, lang: str | None, budget: Budget
) -> Postmortem:
    agent = AssistantAgent("writer", meter, system_message=system_message(POSTMORTEM, lang))
    task = f"Draft (the only source of facts):\n{wrap('draft', draft, limit=MAX_DRAFT)}"
    result = await run_team(agent, task, budget, meter)
    reply = final_text(result, "writer", meter)
    parsed = parse_reply(reply, Postmortem, allowed={"markdown"}, usage=meter.usage)
    rejected = not keeps_facts(draft, parsed.markdown)
    return parsed.model_copy(update={"rejected": rejected, "usage": meter.usage})
