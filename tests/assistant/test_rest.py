"""/api/v1/assistant/*: the same answers over REST, behind the API token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from tests.assistant.conftest import API_TOKEN
from tests.assistant.fake_agents import Grounded, ScriptedAgents
from tests.conftest import RunningBot

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


@pytest.fixture
def api(start_assistant: Callable[..., RunningBot]) -> RunningBot:
    return start_assistant(CLOUDOPS_API_TOKEN=API_TOKEN)


def post(bot: RunningBot, path: str, body: Any = None, **headers: str) -> httpx.Response:
    return bot.sender.client.post(
        f"{bot.url}/api/v1/assistant/{path}", json=body, headers=headers or AUTH
    )


def test_the_api_is_off_without_a_configured_token(assistant: RunningBot) -> None:
    assert post(assistant, "session").status_code == 404
    assert post(assistant, "query", {"question": "pod pending"}).status_code == 404


def test_a_missing_or_wrong_token_is_refused(api: RunningBot) -> None:
    assert post(api, "session", Authorization="Bearer wrong").status_code == 401
    response = api.sender.client.post(f"{api.url}/api/v1/assistant/query", json={"question": "x"})
    assert response.status_code == 401


def test_a_query_returns_an_answer_with_citations_to_real_files(
    api: RunningBot, kb_root: Path
) -> None:
    session_id = post(api, "session").json()["session_id"]
    body = {"question": "Why is my pod in CrashLoopBackOff?", "session_id": session_id}
    result = post(api, "query", body).json()
    assert result["supported"] is True and result["session_id"] == session_id
    assert result["citations"]
    for citation in result["citations"]:
        assert set(citation) == {"n", "title", "source", "section"}
        assert (kb_root / citation["source"]).is_file()
        assert f"[{citation['n']}]" in result["answer"]
    assert "crashloopbackoff.md" in {c["source"] for c in result["citations"]}


def test_a_session_remembers_and_a_new_one_does_not(api: RunningBot) -> None:
    first = post(api, "query", {"question": "Why is my pod in CrashLoopBackOff?"}).json()
    session_id = first["session_id"]
    follow_up = {"question": "how do I fix it?", "session_id": session_id}
    remembered = post(api, "query", follow_up).json()
    assert "crashloopbackoff" in remembered["query"].lower()
    assert "crashloopbackoff.md" in {c["source"] for c in remembered["citations"]}
    other = post(api, "session").json()["session_id"]
    fresh = post(api, "query", {**follow_up, "session_id": other}).json()
    assert fresh["query"] == "how do I fix it?"


def test_an_unrelated_question_is_not_supported(api: RunningBot) -> None:
    result = post(api, "query", {"question": "What is the capital of France?"}).json()
    assert result["supported"] is False and result["citations"] == []
    assert "don't know" in result["answer"]


def test_max_context_docs_bounds_the_citations(api: RunningBot) -> None:
    body = {"question": "pod pending insufficient cpu", "max_context_docs": 1}
    result = post(api, "query", body).json()
    assert [c["n"] for c in result["citations"]] == [1]


def test_web_search_without_configuration_says_so(api: RunningBot) -> None:
    body = {"question": "Why is my pod in CrashLoopBackOff?", "use_web_search": True}
    result = post(api, "query", body).json()
    assert result["web_search"] == "not_configured"
    assert result["citations"]


@pytest.mark.parametrize(
    "body",
    [
        {"question": ""},
        {"question": "x", "max_context_docs": 0},
        {"question": "x", "max_context_docs": 21},
        {"question": "x", "session_id": "../../etc"},
    ],
)
def test_bad_bodies_are_refused(api: RunningBot, body: dict[str, Any]) -> None:
    assert post(api, "query", body).status_code == 422


def test_refresh_reports_the_changes(api: RunningBot, kb_root: Path) -> None:
    (kb_root / "probes.md").unlink()
    report = post(api, "refresh").json()
    assert report["removed"] == ["probes.md"]
    assert report["added"] == [] and report["changed"] == []
    assert report["unchanged"] == len(list(kb_root.glob("*.md")))


def test_the_llm_path_and_web_research_over_rest(
    api: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    agents = ScriptedAgents(Grounded("Fix the config, then restart [2].", [2]))
    api.runtime.services.agents = agents
    result = post(api, "query", {"question": "Why is my pod in CrashLoopBackOff?"}).json()
    assert result["by_model"] is True
    assert result["answer"].startswith("Fix the config, then restart [2].")
    assert [c["n"] for c in result["citations"]] == [2]
    assert f"({result['citations'][0]['source']})" in agents.calls[0][1][1].splitlines()[0]

    monkeypatch.setattr(api.runtime.services.settings, "tavily_api_key", SecretStr("tvly-test"))
    body = {"question": "kubectl debug ephemeral containers", "use_web_search": True}
    web = post(api, "query", body).json()
    assert web["web_search"] == "used"
    assert web["citations"][0]["source"].startswith("https://kubernetes.io/")
    assert agents.research_calls == [("kubectl debug ephemeral containers", True)]
