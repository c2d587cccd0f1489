"""Grounded answers and research answers from scripted models: citations are checked."""

from __future__ import annotations

import pytest

from agents import AgentFailed, Agents, RecordedBackend
from tests.agents.scripts import replay, text, tool_call

PASSAGES = ["CrashLoopBackOff: check the previous container log.", "OOMKilled: raise the limit."]


def agents_with(client, backend=None) -> Agents:
    return Agents(None, backend=backend, client_factory=lambda: client)


async def test_grounded_answer_keeps_valid_citations() -> None:
    client = replay(text({"answer": "Read the previous log [1].", "citations": [1]}))
    answer = await agents_with(client).grounded_answer(
        "pod keeps restarting", PASSAGES, [("user", "hi"), ("assistant", "hello")], lang="en"
    )
    assert answer is not None and not answer.refused and answer.citations == [1]
    prompt = client.create_calls[0]["messages"][-1].content
    assert '<untrusted-data source="passage-2">' in prompt and "OOMKilled" in prompt
    assert '<untrusted-data source="history">' in prompt
    assert "in English" in client.create_calls[0]["messages"][0].content


@pytest.mark.parametrize(
    "reply",
    [
        {"answer": "Restart the node.", "citations": []},  # cites nothing
        {"answer": "See [3].", "citations": [3]},  # passage 3 does not exist
        {"answer": "It is DNS [1][7].", "citations": [1]},  # marker out of range
    ],
)
async def test_unsupported_answers_become_refusals(reply) -> None:
    answer = await agents_with(replay(text(reply))).grounded_answer("q", PASSAGES)
    assert answer is not None and answer.refused and answer.citations == []


async def test_grounded_answer_in_a_code_fence_is_parsed() -> None:
    fenced = '```json\n{"answer": "Raise it [2].", "citations": [2], "refused": false}\n```'
    answer = await agents_with(replay(text(fenced))).grounded_answer("q", PASSAGES)
    assert answer is not None and answer.citations == [2] and answer.usage.calls == 1


async def test_grounded_answer_that_is_not_json_fails_typed() -> None:
    with pytest.raises(AgentFailed) as failure:
        await agents_with(replay(text("Just raise the limit."))).grounded_answer("q", PASSAGES)
    assert failure.value.reason == "invalid_output"


async def test_research_without_web_offers_only_the_knowledge_tool() -> None:
    hits = [{"title": "OOMKilled", "section": "Fix", "source": "oomkilled.md", "text": "..."}]
    client = replay(
        tool_call("search_knowledge", {"query": "oom"}),
        text("notes"),
        text(
            {
                "answer": "Raise the memory limit [1].",
                "sources": [{"title": "OOMKilled", "url": "oomkilled.md"}],
            }
        ),
    )
    agents = agents_with(client, RecordedBackend({"knowledge": hits}))
    answer = await agents.research("What to do about OOMKilled?", use_web=False)
    assert answer is not None and [s.url for s in answer.sources] == ["oomkilled.md"]
    offered = [t["name"] for t in client.create_calls[0]["tools"]]
    assert offered == ["search_knowledge"]
    assert answer.tools_called == ["search_knowledge"]
