"""The real OpenAIChatCompletionClient (and failover) against mocked and loopback endpoints."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from agents import AgentFailed, Agents, Budget, RecordedBackend, load_llm_config
from agents.models import build_client
from tests.agents.chat_server import ChatServer, completion
from tests.agents.deployments import nginx_deployment

BASE = "http://llm.test/v1"
REPORT = {
    "summary": "s",
    "root_cause": "probe path",
    "confidence": "low",
    "evidence": [],
    "next_steps": [],
}


def config(environ: dict[str, str]):
    env = {
        "LLM_MODEL": "qwen-plus",
        "LLM_API_KEY": "sk-test-secret",
        "LLM_MAX_RETRIES": "0",
        **environ,
    }
    loaded = load_llm_config(env)
    assert loaded is not None
    return loaded


def httpx_agents(environ: dict[str, str], backend=None, budget=None) -> Agents:
    """Agents whose clients use httpx (which respx intercepts), not openai's default."""
    cfg = config(environ)
    return Agents(
        cfg,
        backend=backend,
        budget=budget,
        client_factory=lambda: build_client(cfg, httpx.AsyncClient),
    )


@respx.mock
async def test_tool_call_round_trip_through_the_real_client(plan_store) -> None:
    plan = json.dumps(
        {
            "namespace": "default",
            "deployment": "nginx",
            "operations": [{"op": "scale_replicas", "replicas": 3}],
        }
    )
    route = respx.post(f"{BASE}/chat/completions").mock(
        side_effect=[
            httpx.Response(200, json=completion(tool=("list_pods", '{"namespace": "default"}'))),
            httpx.Response(
                200,
                json=completion(
                    tool=("propose_fix_plan", json.dumps({"plan_json": plan, "rationale": "load"}))
                ),
            ),
        ]
    )
    backend = RecordedBackend(
        {"pods": [{"name": "nginx-1", "phase": "Running"}], "deployment": nginx_deployment()}
    )
    agents = httpx_agents({"LLM_BASE_URL": BASE}, backend)
    proposal = await agents.propose_fix(
        {}, namespace="default", deployment="nginx", plan_sink=plan_store
    )
    await agents.close()
    assert proposal is not None and proposal.plan_id == "plan-1"
    assert (proposal.usage.prompt_tokens, proposal.usage.completion_tokens) == (22, 14)
    first, second = (json.loads(c.request.content) for c in route.calls)
    assert first["model"] == "qwen-plus" and first["temperature"] == 0
    assert {t["function"]["name"] for t in first["tools"]} >= {"list_pods", "propose_fix_plan"}
    assert route.calls[0].request.headers["authorization"] == "Bearer sk-test-secret"
    tool_reply = second["messages"][-1]
    assert tool_reply["role"] == "tool" and "nginx-1" in tool_reply["content"]


@respx.mock
async def test_malformed_tool_arguments_become_an_error_result_for_the_model() -> None:
    route = respx.post(f"{BASE}/chat/completions").mock(
        side_effect=[
            httpx.Response(200, json=completion(tool=("list_pods", '{"namespace": '))),
            httpx.Response(200, json=completion("draft")),
            httpx.Response(200, json=completion(json.dumps(REPORT))),
        ]
    )
    agents = httpx_agents({"LLM_BASE_URL": BASE})
    report = await agents.narrate_rca({"verdict": "no_anomaly"})
    assert report is not None and report.root_cause == "probe path"
    second = json.loads(route.calls[1].request.content)
    assert second["messages"][-1]["role"] == "tool"
    assert "Error" in second["messages"][-1]["content"]
    assert report.tools_called == []  # the tool never ran


@respx.mock
async def test_500s_fail_over_to_the_next_endpoint() -> None:
    respx.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(500, json={}))
    backup = respx.post("http://backup.test/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=completion('{"answer": "A [1].", "citations": [1]}'))
    )
    fallbacks = json.dumps(
        [{"base_url": "http://backup.test/v1", "model": "deepseek-chat", "api_key": "sk-backup"}]
    )
    agents = httpx_agents({"LLM_BASE_URL": BASE, "LLM_FALLBACKS": fallbacks})
    answer = await agents.grounded_answer("q", ["passage"])
    assert answer is not None and answer.citations == [1]
    assert json.loads(backup.calls.last.request.content)["model"] == "deepseek-chat"


@respx.mock
async def test_only_500s_is_unreachable() -> None:
    respx.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(503, json={}))
    with pytest.raises(AgentFailed) as failure:
        await httpx_agents({"LLM_BASE_URL": BASE}).grounded_answer("q", ["p"])
    assert failure.value.reason == "unreachable"
    assert "sk-test-secret" not in str(failure.value)


@respx.mock
async def test_a_400_is_not_failed_over() -> None:
    respx.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(400, json={}))
    backup = respx.post("http://backup.test/v1/chat/completions")
    fallbacks = json.dumps([{"base_url": "http://backup.test/v1", "model": "m"}])
    with pytest.raises(AgentFailed) as failure:
        await httpx_agents({"LLM_BASE_URL": BASE, "LLM_FALLBACKS": fallbacks}).grounded_answer(
            "q", ["p"]
        )
    assert failure.value.reason == "model_error"
    assert not backup.called


async def test_stalled_endpoint_times_out_and_the_fallback_answers() -> None:
    answer_body = completion('{"answer": "B [1].", "citations": [1]}')
    with ChatServer(stall=3.0) as stalled, ChatServer(answer_body) as backup:
        fallbacks = json.dumps([{"base_url": backup.base_url, "model": "llama3"}])
        cfg = config(
            {"LLM_BASE_URL": stalled.base_url, "LLM_TIMEOUT": "0.5", "LLM_FALLBACKS": fallbacks}
        )
        agents = Agents(cfg)  # the default client: openai's own HTTP stack, real sockets
        answer = await agents.grounded_answer("q", ["passage"])
        await agents.close()
    assert answer is not None and answer.answer == "B [1]."
    assert len(stalled.requests) == 1 and backup.requests[0]["model"] == "llama3"


async def test_every_endpoint_stalled_is_a_timeout() -> None:
    with ChatServer(stall=3.0) as first, ChatServer(stall=3.0) as second:
        fallbacks = json.dumps([{"base_url": second.base_url, "model": "m2"}])
        cfg = config(
            {"LLM_BASE_URL": first.base_url, "LLM_TIMEOUT": "0.4", "LLM_FALLBACKS": fallbacks}
        )
        with pytest.raises(AgentFailed) as failure:
            await Agents(cfg).grounded_answer("q", ["passage"])
    assert failure.value.reason == "timeout"


async def test_the_wall_clock_budget_cuts_a_slow_endpoint() -> None:
    with ChatServer(stall=3.0) as slow:
        cfg = config({"LLM_BASE_URL": slow.base_url, "LLM_TIMEOUT": "30"})
        agents = Agents(cfg, budget=Budget(seconds=0.5))
        with pytest.raises(AgentFailed) as failure:
            await agents.grounded_answer("q", ["passage"])
    assert failure.value.reason == "timeout"
