"""The LLM path with a scripted agents object: only checked citations reach the user."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from tests.assistant.chat import buttons, card_text, settled
from tests.assistant.fake_agents import DisabledAgents, Grounded, ScriptedAgents
from tests.conftest import RunningBot

CRASHLOOP = "Why is my pod in CrashLoopBackOff?"
TAVILY_KEY = SecretStr("tvly-test")


def with_agents(bot: RunningBot, agents: ScriptedAgents) -> RunningBot:
    bot.runtime.services.agents = agents
    return bot


def ask(bot: RunningBot, text: str, chat_id: str, count: int = 1) -> Any:
    bot.sender.say(text, chat_id=chat_id, chat_type="p2p")
    return settled(bot, chat_id, count)[count - 1]


def test_a_model_answer_with_real_citations_is_shown(assistant: RunningBot) -> None:
    model_text = "Read the previous container's logs, then fix the config and restart [1]."
    agents = ScriptedAgents(Grounded(model_text, [1]))
    reply = ask(with_agents(assistant, agents), CRASHLOOP, "oc_llm_ok")
    text = card_text(reply)
    assert model_text in text
    assert "Written by the model" in text
    question, passages, _ = agents.calls[0]
    assert question == CRASHLOOP
    assert "(crashloopbackoff.md)" in passages[0]
    assert f"[1] {passages[0].splitlines()[0]}" in text  # the cited passage is named


def test_the_model_gets_the_conversation_history(assistant: RunningBot) -> None:
    agents = ScriptedAgents(Grounded("Restart it [1].", [1]), Grounded("Yes [2].", [2]))
    with_agents(assistant, agents)
    ask(assistant, CRASHLOOP, "oc_llm_history", 1)
    ask(assistant, "how do I fix it?", "oc_llm_history", 2)
    history = agents.calls[1][2]
    assert ("user", CRASHLOOP) in history
    assert any(role == "assistant" and "Restart it [1]." in text for role, text in history)


@pytest.mark.parametrize(
    ("reply", "note"),
    [
        # invents passage 9 of 5
        (Grounded("Delete the namespace and start again [9].", [9]), "do not exist"),
        # declares a real passage but marks an invented one in the text
        (Grounded("Delete the namespace and start again [2][12].", [2]), "do not exist"),
        # the agents side already turned an answer with a bad citation into a refusal
        (Grounded("Delete the namespace and start again [9].", [], refused=True), "do not exist"),
        # cites nothing at all
        (Grounded("Delete the namespace and start again.", []), "do not exist"),
        # the model call fails
        (RuntimeError("endpoint down"), "unavailable"),
    ],
)
def test_an_unchecked_model_answer_falls_back_to_extracts(
    assistant: RunningBot, reply: Any, note: str
) -> None:
    answer = ask(with_agents(assistant, ScriptedAgents(reply)), CRASHLOOP, "oc_llm_bad")
    text = card_text(answer)
    assert "Delete the namespace" not in text
    assert note in text
    assert "From the knowledge base:" in text
    assert "(crashloopbackoff.md)" in text


def test_a_model_refusal_is_an_i_dont_know(assistant: RunningBot) -> None:
    refusal = "The runbooks do not say which Helm chart version to pin."
    agents = ScriptedAgents(Grounded(refusal, [], refused=True))
    reply = ask(with_agents(assistant, agents), "which helm chart version pins the pod", "oc_r")
    assert "I don't know" in reply.content["header"]["title"]["content"]
    assert "retrieved passages do not answer this question" in card_text(reply)
    assert refusal not in card_text(reply)  # the model's own words are unchecked: not shown


def test_an_unsupported_question_never_reaches_the_model(assistant: RunningBot) -> None:
    agents = ScriptedAgents(Grounded("Paris [1].", [1]))
    reply = ask(with_agents(assistant, agents), "What is the capital of France?", "oc_llm_off")
    assert "I don't know" in reply.content["header"]["title"]["content"]
    assert "Paris" not in card_text(reply)
    assert agents.calls == []


def test_search_the_web_researches_when_configured(
    assistant: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assistant.runtime.services.settings, "tavily_api_key", TAVILY_KEY)
    agents = ScriptedAgents(Grounded("Restart it [1].", [1]))
    first = ask(with_agents(assistant, agents), CRASHLOOP, "oc_llm_web")
    web = next(b for b in buttons(first) if b["action"] == "ask_web")
    assistant.sender.click(web, chat_id="oc_llm_web", message_id=first.message_id)
    reply = settled(assistant, "oc_llm_web", 2)[1]
    assert agents.research_calls == [(CRASHLOOP, True)]
    text = card_text(reply)
    assert f"({CRASHLOOP})" in text
    assert "(https://kubernetes.io/docs/tasks/debug/debug-application/)" in text


def test_agents_without_an_llm_leave_the_extractive_answer(
    assistant: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assistant.runtime.services.settings, "tavily_api_key", TAVILY_KEY)
    chat = "oc_llm_disabled"
    reply = ask(with_agents(assistant, DisabledAgents()), CRASHLOOP, chat)
    text = card_text(reply)
    assert "Extracted from the knowledge base" in text
    assert "unavailable" not in text and "(crashloopbackoff.md)" in text
    web = next(b for b in buttons(reply) if b["action"] == "ask_web")
    assistant.sender.click(web, chat_id=chat, message_id=reply.message_id)
    assert "not configured" in card_text(settled(assistant, chat, 2)[1])
