"""Web search through the real Tavily client against a respx-mocked HTTP endpoint."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from agents.tools import ToolUnavailable, WebSearch

BASE = "https://tavily.test"


@respx.mock
async def test_search_sends_the_query_and_returns_results() -> None:
    route = respx.post(f"{BASE}/search").mock(
        return_value=httpx.Response(
            200,
            json={
                "query": "oom",
                "results": [
                    {
                        "title": "OOMKilled",
                        "url": "https://k8s.io/oom",
                        "content": "x" * 5000,
                        "score": 0.9,
                    },
                ],
            },
        )
    )
    search = WebSearch("tvly-secret", base_url=BASE)
    results = await search.search("pod OOMKilled", max_results=3)
    await search.close()
    sent = json.loads(route.calls.last.request.content)
    assert sent["query"] == "pod OOMKilled" and sent["max_results"] == 3
    assert route.calls.last.request.headers["authorization"] == "Bearer tvly-secret"
    assert results[0]["url"] == "https://k8s.io/oom"
    assert len(results[0]["content"]) == 1200


@respx.mock
@pytest.mark.parametrize("status", [401, 429, 500])
async def test_http_errors_become_tool_unavailable(status: int) -> None:
    respx.post(f"{BASE}/search").mock(return_value=httpx.Response(status, json={"detail": {}}))
    search = WebSearch("tvly-secret", base_url=BASE)
    with pytest.raises(ToolUnavailable, match="web search failed"):
        await search.search("x")
    await search.close()


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="TAVILY_API_KEY"):
        WebSearch("")
