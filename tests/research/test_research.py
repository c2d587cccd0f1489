"""/research: the agents' research with cited links, or retrieved passages without an LLM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from agents import AgentFailed, ResearchAnswer, Source, Usage
from bot.app.knowledge import knowledge_capability
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot


@pytest.fixture
def research_bot(platform: FakePlatform, db_url: str, tmp_path: Any) -> Iterator[RunningBot]:
    bot = start_bot(
        platform, db_url, capabilities=[knowledge_capability], CLOUDOPS_DATA_DIR=str(tmp_path)
    )
    yield bot
    bot.stop()


class ScriptedResearch:
    status = "enabled"

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome
        self.asked: list[tuple[str, bool]] = []

    async def research(self, question: str, use_web: bool = True, *, lang: Any = None) -> Any:
        self.asked.append((question, use_web))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def _final(bot: RunningBot, chat: str) -> dict[str, Any]:
    message = bot.wait_for(lambda: (m := bot.bot_messages(chat)) and m[0].versions and m[0], 30)
    return message.content


def test_without_an_llm_research_answers_from_the_runbooks(research_bot: RunningBot) -> None:
    research_bot.sender.say("/research how do I fix OOMKilled pods", chat_id="oc_r1")
    text = json.dumps(_final(research_bot, "oc_r1"), ensure_ascii=False)
    assert "No LLM is configured" in text
    assert ".md" in text  # a cited runbook file


def test_with_an_llm_research_shows_cited_links_and_cost(research_bot: RunningBot) -> None:
    answer = ResearchAnswer(
        answer="Raise the memory limit [1].",
        sources=[Source(title="Kubernetes docs", url="https://kubernetes.io/docs/oom")],
        usage=Usage(prompt_tokens=900, completion_tokens=120, calls=3),
    )
    agents = ScriptedResearch(answer)
    research_bot.runtime.services.agents = agents
    research_bot.sender.say("/research why OOMKilled", chat_id="oc_r2")
    text = json.dumps(_final(research_bot, "oc_r2"), ensure_ascii=False)
    assert "https://kubernetes.io/docs/oom" in text and "900 prompt" in text
    assert agents.asked == [("why OOMKilled", False)]  # no TAVILY_API_KEY: no web search


def test_a_failed_team_falls_back_to_passages_and_says_why(research_bot: RunningBot) -> None:
    research_bot.runtime.services.agents = ScriptedResearch(AgentFailed("unreachable"))
    research_bot.sender.say("/research OOMKilled", chat_id="oc_r3")
    text = json.dumps(_final(research_bot, "oc_r3"), ensure_ascii=False)
    assert "unreachable" in text and ".md" in text


def test_research_without_a_question_gets_usage(research_bot: RunningBot) -> None:
    research_bot.sender.say("/research", chat_id="oc_r4")
    card = research_bot.wait_for(lambda: research_bot.bot_messages("oc_r4"))[0].content
    assert "/research <question>" in json.dumps(card, ensure_ascii=False)
