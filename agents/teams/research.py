"""Research team: search runbooks and the web, then answer with links that were really found."""

from __future__ import annotations

import re

from agents.metered import MeteredClient
from agents.parsing import parse_reply
from agents.prompts import RESEARCH_WRITER, RESEARCHER, system_message
from agents.reports import LINK_REMOVED, ResearchAnswer
from agents.teams.budget import Budget
from agents.teams.pipeline import gather_then_write
from agents.teams.run import final_text, run_team
from agents.tools import ToolSet, build_tools

__all__ = ["research", "check_sources"]

_URL = re.compile(r"https?://[^\s)\]>\"']+")


def check_sources(
    answer: ResearchAnswer, found: set[str], marker: str = LINK_REMOVED
) -> ResearchAnswer:
    """Keep only sources a search tool returned as a result (its url or runbook source).

    Links in the answer text that are not such results (a URL written inside a page's
    content included) are removed as well.
    """
    kept = [s for s in answer.sources if s.url in found]
    dropped = [s.url for s in answer.sources if s not in kept]
    invented = [u for u in _URL.findall(answer.answer) if u.rstrip(".,;") not in found]
    dropped += [u for u in invented if u not in dropped]
    text = answer.answer
    for url in invented:
        text = text.replace(url, marker)
    return answer.model_copy(
        update={"answer": text, "sources": kept, "unverified_sources": dropped}
    )


async def research(
    meter: MeteredClient,
    tool_set: ToolSet,
    question: str,
    *,
    use_web: bool,
    lang: str | None,
    budget: Budget,
) -> ResearchAnswer:
    names = ["search_knowledge", *(["web_search"] if use_web else [])]
    team = gather_then_write(
        meter,
        gatherer=("researcher", system_message(RESEARCHER, lang)),
        writer=("writer", system_message(RESEARCH_WRITER, lang)),
        tools=build_tools(tool_set, names),
        budget=budget,
        max_tool_rounds=4,
    )
    result = await run_team(team, f"Question: {question}", budget, meter)
    reply = final_text(result, "writer", meter)
    answer = parse_reply(reply, ResearchAnswer, allowed={"answer", "sources"}, usage=meter.usage)
    checked = check_sources(answer, tool_set.ledger.sources)
    return checked.model_copy(
        update={"usage": meter.usage, "tools_called": tool_set.ledger.names()}
    )
